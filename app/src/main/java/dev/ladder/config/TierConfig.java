package dev.ladder.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.ladder.retry.Tier;
import java.time.Duration;

/**
 * One entry of {@code retry.tiers}: a rung of the ladder.
 *
 * @param delay base delay before each attempt on this tier; required
 * @param attempts attempts on this tier, a whole number of at least 1 or {@code unlimited} (last
 *     tier only; stored as {@link Tier#UNLIMITED}); default 1
 */
public record TierConfig(
        Duration delay,

        @JsonDeserialize(using = ConfigJackson.AttemptsDeserializer.class)
        @JsonSerialize(using = ConfigJackson.AttemptsSerializer.class)
        Integer attempts) {

    public TierConfig {
        attempts = attempts == null ? 1 : attempts;
    }

    Tier toTier(int index) {
        if (delay == null) {
            throw new ConfigException("retry.tiers[" + index + "].delay", "is missing", Durations.ALLOWED);
        }
        return Tier.of(delay, attempts);
    }
}
