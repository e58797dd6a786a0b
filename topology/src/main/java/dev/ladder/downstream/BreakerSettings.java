package dev.ladder.downstream;

import java.time.Duration;

/**
 * When the downstream counts as down. Over a sliding window of the last {@code window} calls, once
 * at least {@code minimumCalls} were made and the share of transient failures (timeouts included;
 * permanent failures never count, a 4xx means the downstream is up) reaches
 * {@code failureRateThreshold}, the breaker opens: no calls for {@code openFor}, then one probe call
 * every {@code probeInterval} (half-open) until a probe succeeds.
 *
 * @param enabled false turns the breaker off (every call goes through)
 * @param window calls in the sliding window, at least 1
 * @param minimumCalls calls needed in the window before the breaker may open, 1..window
 * @param failureRateThreshold share of transient failures that opens it, in (0, 1]
 * @param openFor how long the breaker stays open before the first probe
 * @param probeInterval pace of probe calls while half-open
 */
public record BreakerSettings(
        boolean enabled,
        int window,
        int minimumCalls,
        double failureRateThreshold,
        Duration openFor,
        Duration probeInterval) {

    /** Off. */
    public static BreakerSettings disabled() {
        return new BreakerSettings(false, 50, 20, 0.8, Duration.ofSeconds(30), Duration.ofSeconds(5));
    }

    /** On, with Ladder's defaults: window 50, minimum 20, 80 %, open 30 s, probe every 5 s. */
    public static BreakerSettings defaults() {
        return new BreakerSettings(true, 50, 20, 0.8, Duration.ofSeconds(30), Duration.ofSeconds(5));
    }
}
