package dev.ladder.policy;

import java.util.ArrayList;
import java.util.List;

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

    /** Default cap: none (0). */
    public static final double DEFAULT_CALLS_PER_SECOND = 0;
    /** Default reaction to 429: adaptive. */
    public static final boolean DEFAULT_ADAPTIVE = true;
    /** Default drain rate after the breaker closes: 50 calls/s. */
    public static final double DEFAULT_DRAIN_RATE = 50;

    /** No cap, adaptive on 429, drain starting at 50 calls/s. */
    public static RateLimitSettings defaults() {
        return new RateLimitSettings(DEFAULT_CALLS_PER_SECOND, DEFAULT_ADAPTIVE, DEFAULT_DRAIN_RATE);
    }

    /** Every problem of these settings, keyed {@code rate-limit.*}. */
    public List<InvalidPolicyException> problems() {
        List<InvalidPolicyException> problems = new ArrayList<>();
        if (!(callsPerSecond >= 0) || Double.isInfinite(callsPerSecond)) {
            problems.add(new InvalidPolicyException(
                    "rate-limit.calls-per-second", "is " + callsPerSecond, "0 (no limit) or a positive number"));
        }
        if (!(drainRate > 0) || Double.isInfinite(drainRate)) {
            problems.add(new InvalidPolicyException(
                    "rate-limit.drain-rate", "is " + drainRate, "a positive number of calls per second"));
        }
        return problems;
    }
}
