package dev.ladder.downstream;

/**
 * How fast Ladder may call the downstream, per instance.
 *
 * @param callsPerSecond the cap (token bucket, burst of one second's worth); 0 for no cap
 * @param adaptive on a 429 answer, pause every call until its {@code Retry-After} (the whole
 *     downstream, not just the one event) and halve the current rate, recovering it step by step
 * @param drainRate calls per second right after the breaker closes, doubling every second up to
 *     the cap (or without limit when there is none), so a backlog drains without a thundering herd
 */
public record RateLimitSettings(double callsPerSecond, boolean adaptive, double drainRate) {

    /** No cap, adaptive on 429, drain starting at 50 calls/s. */
    public static RateLimitSettings defaults() {
        return new RateLimitSettings(0, true, 50);
    }
}
