package dev.ladder.downstream;

/**
 * The last {@code size} call results as a ring buffer of booleans (true: a transient failure), with
 * the failure count kept alongside so the failure rate costs nothing to read. Not thread-safe: the
 * {@link CircuitBreaker} that owns it guards it.
 */
final class OutcomeWindow {

    private final boolean[] failed;
    private int next;
    private int count;
    private int failures;

    OutcomeWindow(int size) {
        this.failed = new boolean[Math.max(1, size)];
    }

    /** Adds the newest result, evicting the oldest once the window is full. */
    void add(boolean failure) {
        if (count == failed.length) {
            if (failed[next]) {
                failures--;
            }
        } else {
            count++;
        }
        failed[next] = failure;
        if (failure) {
            failures++;
        }
        next = (next + 1) % failed.length;
    }

    int size() {
        return failed.length;
    }

    int count() {
        return count;
    }

    int failures() {
        return failures;
    }

    /** Share of transient failures among the results held, 0 when empty. */
    double failureRate() {
        return count == 0 ? 0 : (double) failures / count;
    }

    void clear() {
        java.util.Arrays.fill(failed, false);
        next = 0;
        count = 0;
        failures = 0;
    }

    /** A window of another size holding the newest results of this one (a live reload keeps them). */
    OutcomeWindow resized(int size) {
        OutcomeWindow resized = new OutcomeWindow(size);
        int oldest = (next - count + failed.length) % failed.length;
        int skip = Math.max(0, count - resized.size());
        for (int i = skip; i < count; i++) {
            resized.add(failed[(oldest + i) % failed.length]);
        }
        return resized;
    }
}
