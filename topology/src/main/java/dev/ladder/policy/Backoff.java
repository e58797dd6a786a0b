package dev.ladder.policy;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * How the delay grows across the attempts of one tier. The tier's delay is the base; the
 * result is never shorter than it, so a retry on the 1-minute tier never runs before a minute.
 */
public sealed interface Backoff {

    /**
     * The delay before attempt {@code tierAttempt} (1-based) on a tier with base delay
     * {@code base}.
     */
    Duration delay(Duration base, int tierAttempt, RandomGenerator random);

    /** The same delay every time. */
    record Fixed() implements Backoff {
        @Override
        public Duration delay(Duration base, int tierAttempt, RandomGenerator random) {
            return base;
        }
    }

    /**
     * base × attempt, capped.
     *
     * @param max upper bound of the delay (never below the base)
     */
    record Linear(Duration max) implements Backoff {
        @Override
        public Duration delay(Duration base, int tierAttempt, RandomGenerator random) {
            long millis = saturatedMultiply(Millis.of(base), tierAttempt);
            return cap(base, Duration.ofMillis(millis), max);
        }
    }

    /**
     * base × multiplier^(attempt-1), capped.
     *
     * @param multiplier growth factor, at least 1
     * @param max upper bound of the delay (never below the base)
     */
    record Exponential(double multiplier, Duration max) implements Backoff {
        /** Default {@link #multiplier}: 2, the delay doubles. */
        public static final double DEFAULT_MULTIPLIER = 2.0;

        @Override
        public Duration delay(Duration base, int tierAttempt, RandomGenerator random) {
            double millis = Millis.of(base) * Math.pow(multiplier, Math.max(0, tierAttempt - 1));
            long bounded = millis >= Long.MAX_VALUE / 2 ? Long.MAX_VALUE / 2 : (long) millis;
            return cap(base, Duration.ofMillis(bounded), max);
        }
    }

    /**
     * Uniformly random between the base and base × spread.
     *
     * @param spread upper bound as a multiple of the base, at least 1
     */
    record Random(double spread) implements Backoff {
        /** Default {@link #spread}: up to twice the base. */
        public static final double DEFAULT_SPREAD = 2.0;

        @Override
        public Duration delay(Duration base, int tierAttempt, RandomGenerator random) {
            long low = Millis.of(base);
            // a huge spread saturates high at Long.MAX_VALUE, where high + 1 would wrap
            long high = (long) (low * spread);
            return Duration.ofMillis(high <= low ? low : random.nextLong(low, Millis.add(high, 1)));
        }
    }

    private static Duration cap(Duration base, Duration delay, Duration max) {
        // no max means no cap; a max below the base is raised to the base
        if (max == null) {
            return delay;
        }
        Duration bound = max.compareTo(base) < 0 ? base : max;
        return delay.compareTo(bound) > 0 ? bound : delay;
    }

    private static long saturatedMultiply(long a, long b) {
        long r = a * b;
        return (a != 0 && r / a != b) ? Long.MAX_VALUE / 2 : r;
    }
}
