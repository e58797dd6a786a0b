package dev.ladder.config;

import dev.ladder.avro.RetryEnvelope;
import dev.ladder.policy.InvalidPolicyException;
import dev.ladder.policy.TopicConfigs;
import dev.ladder.serde.AvroEnvelopeSerde;
import dev.ladder.text.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;

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
 * @param envelopeSerde the class of the serde the tier and dead-letter record values are written
 *     and read with, by the processor and by the dead-letter tools alike: a public class
 *     implementing {@code Serde<RetryEnvelope>} with a public no-argument constructor, configured
 *     with the {@code kafka:} map (so a schema-registry serde finds {@code schema.registry.url});
 *     default {@link #DEFAULT_ENVELOPE_SERDE}. Ladder's state stores keep its own encoding whatever
 *     this says.
 */
public record TopicsConfig(
        String main,
        Boolean output,
        TopicNamingConfig naming,
        String deadLetterRetention,
        Integer maxMessageBytes,
        String envelopeSerde) {

    /** The word that keeps dead letters for ever. */
    public static final String FOREVER = "forever";

    /** The envelope serde of a file that names none: Avro single-object encoding, no registry. */
    public static final String DEFAULT_ENVELOPE_SERDE = AvroEnvelopeSerde.class.getName();

    public TopicsConfig {
        output = output != null && output;
        naming = naming == null ? new TopicNamingConfig(null, null, null) : naming;
        deadLetterRetention = deadLetterRetention == null ? FOREVER : deadLetterRetention.trim();
        envelopeSerde = envelopeSerde == null ? DEFAULT_ENVELOPE_SERDE : envelopeSerde;
    }

    /**
     * A new instance of the envelope serde, configured with {@code kafka}; the caller closes it.
     *
     * @throws ConfigException naming {@code topics.envelope-serde} when the class cannot be loaded,
     *     is not a {@code Serde<RetryEnvelope>}, cannot be instantiated or refuses its configuration
     */
    Serde<RetryEnvelope> envelopeSerde(Map<String, ?> kafka) {
        return EnvelopeSerdeLoader.load(envelopeSerde, kafka);
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
