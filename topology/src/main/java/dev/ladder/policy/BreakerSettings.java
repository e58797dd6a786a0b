package dev.ladder.policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * When the downstream counts as down. The breaker judges the downstream, not the events: retried
 * events fail by their nature (they are the ones that just failed), so only <em>evidence</em> is
 * counted: every answer to an event's first attempt, and every answer that is not a transient
 * failure (a success or a 4xx proves the downstream answers). A retry that fails transiently again
 * says nothing about the downstream and is not counted.
 *
 * <p>Over a sliding window of the last {@code window} counted calls, once at least
 * {@code minimumCalls} were counted and the share of transient failures reaches
 * {@code failureRateThreshold}, the breaker opens: no calls for {@code openFor}, then half-open:
 * up to {@code probes} probe calls, and the breaker closes when their share of transient failures
 * stays below the threshold, or opens again for {@code probeInterval}.
 *
 * @param enabled false turns the breaker off (every call goes through)
 * @param window counted calls in the sliding window, at least 1
 * @param minimumCalls counted calls needed in the window before the breaker may open, 1..window
 * @param failureRateThreshold share of transient failures that opens it, in (0, 1]
 * @param openFor how long the breaker stays open before the first probes
 * @param probeInterval how long it stays open again after failed probes
 * @param probes probe calls while half-open, 1..100
 */
public record BreakerSettings(
        boolean enabled,
        int window,
        int minimumCalls,
        double failureRateThreshold,
        Duration openFor,
        Duration probeInterval,
        int probes) {

    /** Default window: 50 counted calls. */
    public static final int DEFAULT_WINDOW = 50;
    /** Default minimum: 20 counted calls. */
    public static final int DEFAULT_MINIMUM_CALLS = 20;
    /** Default threshold: 80 % transient failures. */
    public static final double DEFAULT_FAILURE_RATE = 0.8;
    /** Default first open period: 5 s, so recovery is seen within one probe interval. */
    public static final Duration DEFAULT_OPEN_FOR = Duration.ofSeconds(5);
    /** Default pause after failed probes: 5 s. */
    public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(5);
    /** Default probes per half-open phase: 5. */
    public static final int DEFAULT_PROBES = 5;
    /** Upper bound of {@code probes}. */
    public static final int MAX_PROBES = 100;

    /** Off. */
    public static BreakerSettings disabled() {
        return defaults().withEnabled(false);
    }

    /** On, with Ladder's defaults: window 50, minimum 20, 80 %, open 5 s, then 5 probes, reopen 5 s. */
    public static BreakerSettings defaults() {
        return new BreakerSettings(
                true,
                DEFAULT_WINDOW,
                DEFAULT_MINIMUM_CALLS,
                DEFAULT_FAILURE_RATE,
                DEFAULT_OPEN_FOR,
                DEFAULT_PROBE_INTERVAL,
                DEFAULT_PROBES);
    }

    /**
     * Every problem of these settings, keyed {@code breaker.*}; none when the breaker is off,
     * since then nothing of it is used.
     */
    public List<InvalidPolicyException> problems() {
        List<InvalidPolicyException> problems = new ArrayList<>();
        if (!enabled) {
            return problems;
        }
        if (window < 1) {
            problems.add(new InvalidPolicyException("breaker.window", "is " + window, "at least 1 call"));
        }
        if (minimumCalls < 1 || (window >= 1 && minimumCalls > window)) {
            problems.add(new InvalidPolicyException(
                    "breaker.minimum-calls", "is " + minimumCalls, "1 to breaker.window (" + window + ")"));
        }
        if (!(failureRateThreshold > 0 && failureRateThreshold <= 1)) {
            problems.add(new InvalidPolicyException(
                    "breaker.failure-rate", "is " + failureRateThreshold, "a fraction in (0, 1], e.g. 0.8"));
        }
        positive("breaker.open-for", openFor, "5s", problems);
        positive("breaker.probe-interval", probeInterval, "5s", problems);
        if (probes < 1 || probes > MAX_PROBES) {
            problems.add(new InvalidPolicyException(
                    "breaker.probes", "is " + probes, "1 to " + MAX_PROBES + " probe calls"));
        }
        return problems;
    }

    private static void positive(String key, Duration value, String example, List<InvalidPolicyException> problems) {
        if (value == null || value.isZero() || value.isNegative()) {
            problems.add(new InvalidPolicyException(
                    key,
                    "is " + (value == null ? "missing" : value.toMillis() + "ms"),
                    "a positive duration such as " + example));
        }
    }

    /** The same settings, turned on or off. */
    public BreakerSettings withEnabled(boolean on) {
        return new BreakerSettings(on, window, minimumCalls, failureRateThreshold, openFor, probeInterval, probes);
    }
}
