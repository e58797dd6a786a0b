package dev.ladder.config;

import dev.ladder.policy.InvalidPolicyException;
import dev.ladder.policy.TopicConfigs;
import dev.ladder.text.Durations;
import java.time.Duration;
import java.util.List;

/**
 * The {@code topics:} section: which topic to consume, how the others are named, and the configs
 * Ladder creates its own topics with (see {@link TopicConfigs} for how they are derived).
 *
 * @param main the topic events are consumed from; required
 * @param output whether successes are written to the output topic; default false
 * @param naming patterns of the retry, dead-letter and output topic names
 * @param deadLetterRetention how long the dead-letter topic keeps records: a duration such as
 *     {@code 90d}, or {@code forever} ({@code retention.ms=-1}); default forever, since a DLT that
 *     expires after the broker's default 7 days silently loses what it exists to keep
 * @param maxMessageBytes the largest record Ladder writes to its tier, dead-letter and changelog
 *     topics, their {@code max.message.bytes} and the producer's {@code max.request.size}; default
 *     the broker's default record limit (1048588) plus the most the envelope can add with the
 *     configured error-history and checkpoint limits (1288010 with the defaults)
 */
public record TopicsConfig(
        String main, Boolean output, TopicNamingConfig naming, String deadLetterRetention, Integer maxMessageBytes) {

    /** The word that keeps dead letters for ever. */
    public static final String FOREVER = "forever";

    public TopicsConfig {
        output = output != null && output;
        naming = naming == null ? new TopicNamingConfig(null, null, null) : naming;
        deadLetterRetention = deadLetterRetention == null ? FOREVER : deadLetterRetention.trim();
    }

    /** The dead-letter retention as a duration, or null for ever (also when it is not one: then a problem is added). */
    Duration deadLetterRetentionDuration(List<InvalidPolicyException> problems) {
        if (FOREVER.equalsIgnoreCase(deadLetterRetention)) {
            return null;
        }
        try {
            return Durations.parse(deadLetterRetention);
        } catch (IllegalArgumentException e) {
            problems.add(new ConfigException(
                    "topics.dead-letter-retention",
                    "is '" + deadLetterRetention + "'",
                    "'forever' or " + Durations.ALLOWED));
            return null;
        }
    }
}
