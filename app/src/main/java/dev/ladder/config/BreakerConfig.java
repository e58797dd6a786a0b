package dev.ladder.config;

import dev.ladder.policy.BreakerSettings;
import java.time.Duration;

/**
 * The {@code breaker:} section: when the downstream counts as down. While it is open, Ladder stops
 * calling, keeps arriving events and due retries in its store without spending their attempts,
 * probes at a pace, and drains the backlog in per-key order when a probe succeeds.
 *
 * <p>Only evidence about the downstream is counted: the answer to every first attempt, and every
 * answer that is not a transient failure. A retried event failing again is not counted, so retry
 * traffic alone never opens the breaker.
 *
 * @param enabled turn the circuit breaker on or off; default true
 * @param window counted calls in the sliding window the failure rate is measured over; default 50
 * @param minimumCalls counted calls needed in the window before the breaker may open; default 20
 * @param failureRate share of transient failures (5xx, 429, timeouts, I/O errors; never 4xx) that
 *     opens the breaker, in (0, 1]; default 0.8
 * @param openFor how long the breaker stays open before the first probes; default 5s
 * @param probeInterval how long it stays open again after failed probes; default 5s
 * @param probes probe calls per half-open phase; it closes when their share of transient failures
 *     is below {@code failureRate}; default 5
 */
public record BreakerConfig(
        Boolean enabled,
        Integer window,
        Integer minimumCalls,
        Double failureRate,
        Duration openFor,
        Duration probeInterval,
        Integer probes) {

    public BreakerConfig {
        BreakerSettings d = BreakerSettings.defaults();
        enabled = enabled == null ? d.enabled() : enabled;
        window = window == null ? d.window() : window;
        minimumCalls = minimumCalls == null ? d.minimumCalls() : minimumCalls;
        failureRate = failureRate == null ? d.failureRateThreshold() : failureRate;
        openFor = openFor == null ? d.openFor() : openFor;
        probeInterval = probeInterval == null ? d.probeInterval() : probeInterval;
        probes = probes == null ? d.probes() : probes;
    }

    /** The breaker settings of the topology. */
    public BreakerSettings toSettings() {
        return new BreakerSettings(enabled, window, minimumCalls, failureRate, openFor, probeInterval, probes);
    }
}
