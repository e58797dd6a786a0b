package dev.ladder.config;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import dev.ladder.policy.InvalidPolicyException;
import dev.ladder.policy.Tier;
import dev.ladder.text.Durations;
import java.time.Duration;
import java.util.List;

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

    /** The tier at {@code index}; without a delay, a problem is added and a stand-in is returned. */
    Tier toTier(int index, List<InvalidPolicyException> problems) {
        if (delay == null) {
            problems.add(new ConfigException("retry.tiers[" + index + "].delay", "is missing", Durations.ALLOWED));
            // a delay no real tier has, so the stand-in's topic name clashes with none
            return Tier.of(Duration.ofDays(36_500L + index), attempts);
        }
        return Tier.of(delay, attempts);
    }
}
