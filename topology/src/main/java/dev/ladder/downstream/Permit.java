package dev.ladder.downstream;

/** The gate's answer before a handler call. */
public sealed interface Permit {

    /**
     * Call now, after waiting {@code waitMillis} (a short rate-limit wait the caller sleeps).
     *
     * @param probe true when this is a half-open probe: a transient failure of a probe must not
     *     cost the event an attempt (the downstream is down, not the event)
     * @param waitMillis how long the caller sleeps before calling
     * @param firstAttempt true when the call is the event's first attempt, whose answer always
     *     counts as evidence about the downstream (a retry failing again does not)
     */
    record Call(boolean probe, long waitMillis, boolean firstAttempt) implements Permit {}

    /**
     * Do not call before {@code untilMillis} (epoch ms): the breaker is open, the downstream asked
     * for a pause (429 Retry-After), or the rate limit would make the caller wait too long. The
     * event must be kept, in order, without counting an attempt against it.
     *
     * @param reason "breaker-open", "throttled" or "rate-limited", for logs and metrics
     */
    record Defer(long untilMillis, String reason) implements Permit {}
}
