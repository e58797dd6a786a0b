package dev.ladder.app.demo;

import java.time.Duration;

/**
 * What {@code ladder demo} runs.
 *
 * @param events how many events to produce
 * @param duration the longest the whole demo may take, broker start included
 * @param failureRate share of endpoint calls that fail, 0 to 1; a tenth of it fails permanently
 * @param keys how many distinct keys the events spread over
 * @param seed makes the keys and the endpoint's answers repeatable
 */
public record DemoOptions(int events, Duration duration, double failureRate, int keys, long seed) {

    public DemoOptions {
        if (events < 1) {
            throw new IllegalArgumentException("--events must be at least 1, not " + events);
        }
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("--duration must be positive, not " + duration);
        }
        if (failureRate < 0 || failureRate > 1) {
            throw new IllegalArgumentException("--failure-rate must be between 0 and 1, not " + failureRate);
        }
        if (keys < 1) {
            throw new IllegalArgumentException("--keys must be at least 1, not " + keys);
        }
    }
}
