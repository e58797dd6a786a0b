package dev.ladder.policy;

import java.time.Duration;
import java.util.Objects;

/**
 * One rung of the ladder: a retry topic with a base delay and a number of attempts.
 *
 * @param delay base delay before each attempt on this tier; the backoff may lengthen it
 * @param attempts attempts made on this tier before the event moves on; {@link #UNLIMITED} on the
 *     last tier means retry there forever (store-and-forward)
 */
public record Tier(Duration delay, int attempts) {

    /** Marks a tier that retries forever. Only the last tier may be unlimited. */
    public static final int UNLIMITED = -1;

    public Tier {
        Objects.requireNonNull(delay, "delay");
    }

    /** A tier with the given delay and number of attempts. */
    public static Tier of(Duration delay, int attempts) {
        return new Tier(delay, attempts);
    }

    /** A tier that retries forever. */
    public static Tier unlimited(Duration delay) {
        return new Tier(delay, UNLIMITED);
    }

    /** True when this tier retries forever. */
    public boolean isUnlimited() {
        return attempts == UNLIMITED;
    }
}
