package dev.ladder.topology.internals;

import dev.ladder.handler.Outcome;
import dev.ladder.policy.Millis;
import java.time.Duration;
import java.time.Instant;

/**
 * A handler's not-before hint (a {@code Retry-After}), made safe to act on. Handlers may return
 * any {@link Instant}: {@code Instant.MAX}, {@code Instant.MIN}, year 9999 from a header. Taken
 * as it is, such a hint throws out of the stream thread ({@link Instant#toEpochMilli()} does beyond
 * ±292 million years), or parks an event, or through the 429 pause a whole instance, for years.
 * Whatever consumes a hint reads it through {@link #notBefore}, which bounds it to the longest
 * delay Ladder honours ({@code retry.max-retry-after}).
 */
final class Hints {

    private Hints() {}

    /**
     * The earliest time the downstream asked to be called again, bounded to what Ladder honours.
     * Never throws, for any hint.
     *
     * @param failure the failure carrying the hint (or none)
     * @param nowMillis the current wall-clock time, epoch milliseconds
     * @param max the longest delay a hint may ask for; a negative one counts as zero
     * @return epoch milliseconds in {@code [nowMillis, nowMillis + max]} (saturated at
     *     {@link Long#MAX_VALUE}); {@code nowMillis} when there is no hint or it is in the past
     */
    public static long notBefore(Outcome.Transient failure, long nowMillis, Duration max) {
        Instant hint = failure.notBefore();
        if (hint == null) {
            return nowMillis;
        }
        long latest = Millis.add(nowMillis, Math.max(0, Millis.of(max)));
        return Math.max(nowMillis, Math.min(Millis.of(hint), latest));
    }

    /**
     * The outcome with its hint bounded as {@link #notBefore} bounds it, so that every later reader
     * (the decision, the downstream gate's 429 pause) sees a hint it can convert and honour. Any
     * other outcome, and a transient failure without a hint, comes back unchanged.
     */
    public static Outcome bounded(Outcome outcome, long nowMillis, Duration max) {
        if (outcome instanceof Outcome.Transient failure && failure.notBefore() != null) {
            return failure.withNotBefore(Instant.ofEpochMilli(notBefore(failure, nowMillis, max)));
        }
        return outcome;
    }
}
