package dev.ladder.config;

import dev.ladder.policy.RateLimitSettings;

/**
 * The {@code rate-limit:} section: how fast this instance may call the downstream.
 *
 * @param callsPerSecond cap on handler calls per second per instance (token bucket with one
 *     second of burst); 0 for no cap; default 0
 * @param adaptive on a 429 answer, pause all calls until its {@code Retry-After} and slow down,
 *     recovering step by step; default true
 * @param drainRate calls per second right after the breaker closes, doubling every second up to the
 *     cap; default 50
 */
public record RateLimitConfig(Double callsPerSecond, Boolean adaptive, Double drainRate) {

    public RateLimitConfig {
        RateLimitSettings d = RateLimitSettings.defaults();
        callsPerSecond = callsPerSecond == null ? d.callsPerSecond() : callsPerSecond;
        adaptive = adaptive == null ? d.adaptive() : adaptive;
        drainRate = drainRate == null ? d.drainRate() : drainRate;
    }

    /** The rate-limit settings of the topology. */
    public RateLimitSettings toSettings() {
        return new RateLimitSettings(callsPerSecond, adaptive, drainRate);
    }
}
