package dev.ladder.policy;

import java.time.Duration;
import java.time.Instant;

/**
 * Saturating epoch-millisecond arithmetic for due times. A due time that wraps past
 * {@link Long#MAX_VALUE} becomes a time in the distant past and fires at once; one that throws
 * ({@link Instant#toEpochMilli()} and {@link Duration#toMillis()} do, beyond ±292 million years)
 * kills the stream thread. Both come from values a handler, a config file or a crafted record can
 * carry, so due-time arithmetic clamps at the ends of {@code long} instead.
 */
public final class Millis {

    private static final Instant LATEST_INSTANT = Instant.ofEpochMilli(Long.MAX_VALUE);
    private static final Instant EARLIEST_INSTANT = Instant.ofEpochMilli(Long.MIN_VALUE);
    private static final Duration LONGEST = Duration.ofMillis(Long.MAX_VALUE);
    private static final Duration MOST_NEGATIVE = Duration.ofMillis(Long.MIN_VALUE);

    private Millis() {}

    /** {@code a + b}, clamped to the range of {@code long}. */
    public static long add(long a, long b) {
        long sum = a + b;
        // overflow only when both operands have the same sign and the sum has the other one
        if (((a ^ sum) & (b ^ sum)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return sum;
    }

    /** {@code a - b}, clamped to the range of {@code long}. */
    public static long subtract(long a, long b) {
        long difference = a - b;
        if (((a ^ b) & (a ^ difference)) < 0) {
            return a < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
        return difference;
    }

    /** The instant as epoch milliseconds, clamped to the range of {@code long}. */
    public static long of(Instant instant) {
        if (instant.isAfter(LATEST_INSTANT)) {
            return Long.MAX_VALUE;
        }
        if (instant.isBefore(EARLIEST_INSTANT)) {
            return Long.MIN_VALUE;
        }
        return instant.toEpochMilli();
    }

    /** The duration in milliseconds, clamped to the range of {@code long}. */
    public static long of(Duration duration) {
        if (duration.compareTo(LONGEST) > 0) {
            return Long.MAX_VALUE;
        }
        if (duration.compareTo(MOST_NEGATIVE) < 0) {
            return Long.MIN_VALUE;
        }
        return duration.toMillis();
    }
}
