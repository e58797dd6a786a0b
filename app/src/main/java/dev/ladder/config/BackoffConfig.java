package dev.ladder.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ladder.policy.Backoff;
import dev.ladder.policy.LadderSettings;
import java.time.Duration;

/**
 * The {@code retry.backoff:} section: how the delay grows across the attempts of one tier.
 *
 * @param type {@code fixed}, {@code linear}, {@code exponential} or {@code random}; default fixed
 *     (as in {@link LadderSettings#DEFAULT_POLICY})
 * @param multiplier growth factor of {@code exponential}, at least 1; default
 *     {@link Backoff.Exponential#DEFAULT_MULTIPLIER} (2.0)
 * @param maxDelay cap of {@code linear} and {@code exponential}; default none
 * @param spread upper bound of {@code random} as a multiple of the delay, at least 1; default
 *     {@link Backoff.Random#DEFAULT_SPREAD} (2.0)
 * @param jitter extra random delay as a fraction of the delay, 0 to 1, only ever adds; default 0
 */
public record BackoffConfig(Type type, Double multiplier, Duration maxDelay, Double spread, Double jitter) {

    /** The backoff kinds. */
    public enum Type {
        /** The tier's delay every time. */
        @JsonProperty("fixed")
        FIXED,
        /** delay × attempt, capped by max-delay. */
        @JsonProperty("linear")
        LINEAR,
        /** delay × multiplier^(attempt-1), capped by max-delay. */
        @JsonProperty("exponential")
        EXPONENTIAL,
        /** Uniformly random in [delay, delay × spread]. */
        @JsonProperty("random")
        RANDOM
    }

    public BackoffConfig {
        type = type == null ? Type.FIXED : type;
        multiplier = multiplier == null ? Backoff.Exponential.DEFAULT_MULTIPLIER : multiplier;
        spread = spread == null ? Backoff.Random.DEFAULT_SPREAD : spread;
        jitter = jitter == null ? LadderSettings.DEFAULT_POLICY.jitter() : jitter;
    }

    Backoff toBackoff() {
        switch (type) {
            case LINEAR:
                return new Backoff.Linear(maxDelay);
            case EXPONENTIAL:
                return new Backoff.Exponential(multiplier, maxDelay);
            case RANDOM:
                return new Backoff.Random(spread);
            default:
                return new Backoff.Fixed();
        }
    }
}
