package dev.ladder.policy;

import dev.ladder.policy.LadderSettings.HistoryLimits;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The topic configs Ladder's own topics need, derived from the settings in one place: topic
 * creation, {@code topics verify}, the changelog topics and the producer all read them here.
 *
 * <p><b>Retention.</b> A tier record is read at once and then held in the timers store, but while
 * Ladder is down or lagging it waits in the topic; a tier topic that deletes it first loses a
 * retry. A tier keeps its records for twice the longest an event can spend on it (its longest
 * single delay, with backoff cap, jitter and the longest honoured {@code Retry-After}, times its
 * attempts), and never less than {@link #MIN_TIER_RETENTION}. The dead-letter topic keeps its
 * records for ever unless {@code topics.dead-letter-retention} says otherwise: a DLT that expires
 * after the broker's default 7 days silently loses what it exists to keep.
 *
 * <p><b>Size.</b> A tier or dead-letter record is the main topic's record wrapped in an envelope:
 * the original key, value and headers plus the error history, the checkpoint and the dead-letter
 * headers. {@link #envelopeRoom} bounds what the wrapping adds (every character of a kept message
 * or stack trace counted at 3 UTF-8 bytes); the default {@code max.message.bytes} is the broker's
 * default record limit plus that room, so a main-topic record of the largest size a default broker
 * accepts still fits. Whatever does not fit anyway (larger headers, a main topic with a larger
 * limit) is shrunk or dead-lettered by the processor, never sent to fail.
 */
public final class TopicConfigs {

    /** The broker's default {@code message.max.bytes}: the largest main-topic record assumed. */
    public static final int BROKER_DEFAULT_MAX_MESSAGE_BYTES = 1_048_588;

    /** The shortest retention of a tier topic: long enough to outlive a long weekend's outage. */
    public static final Duration MIN_TIER_RETENTION = Duration.ofDays(7);

    /** The smallest {@code topics.max-message-bytes} accepted. */
    public static final int MIN_MAX_MESSAGE_BYTES = 64 * 1024;

    /** {@code retention.ms} meaning "keep for ever". */
    public static final String FOREVER = "-1";

    /** Worst-case UTF-8 bytes of one Java char (a surrogate pair is 4 bytes for 2 chars). */
    private static final int UTF8_PER_CHAR = 3;
    /** Kafka's longest topic name. */
    private static final int TOPIC_NAME = 249;
    /** An exception class name, generously. */
    private static final int CLASS_NAME = 256;
    /** An event id: it is counted once in the main record, and once more as field and header. */
    private static final int EVENT_ID = 256;
    /** Counters, timestamps, Avro framing and Ladder's small headers of one record. */
    private static final int FIXED = 1_024;
    /** Numbers and framing of one error record. */
    private static final int ERROR_FIXED = 64;

    private TopicConfigs() {}

    /**
     * The most bytes the envelope adds to a main-topic record: the bounded error history, the
     * dead-letter reason and {@code kafka_dlt-exception-*} headers, the checkpoint and fixed fields.
     */
    public static int envelopeRoom(HistoryLimits history, int maxCheckpointBytes) {
        long perError = (long) (history.maxMessageChars() + history.maxStackTraceChars()) * UTF8_PER_CHAR
                + TOPIC_NAME
                + CLASS_NAME
                + ERROR_FIXED;
        long errors = (long) (history.keepFirst() + history.keepLast()) * perError;
        long deadLetterHeaders = (long) (history.maxMessageChars() + 200) * UTF8_PER_CHAR // reason
                + (long) (history.maxMessageChars() + history.maxStackTraceChars()) * UTF8_PER_CHAR
                + CLASS_NAME;
        long fixed = TOPIC_NAME + 2L * EVENT_ID + FIXED;
        return (int) Math.min(Integer.MAX_VALUE / 2, errors + deadLetterHeaders + fixed + maxCheckpointBytes);
    }

    /** The default {@code topics.max-message-bytes}: the broker's default limit plus the envelope room. */
    public static int defaultMaxMessageBytes(HistoryLimits history, int maxCheckpointBytes) {
        return BROKER_DEFAULT_MAX_MESSAGE_BYTES + envelopeRoom(history, maxCheckpointBytes);
    }

    /** {@code retention.ms} of tier {@code index} (1-based), or {@link #FOREVER} past any sane bound. */
    public static String tierRetention(LadderSettings settings, int index) {
        RetryPolicy policy = settings.policy();
        Tier tier = policy.tier(index);
        long single =
                Math.max(longestDelay(policy, tier), settings.maxRetryAfter().toMillis());
        // an unlimited tier writes a fresh record per attempt: each one waits one delay only
        long attempts = tier.isUnlimited() ? 1 : Math.max(1, tier.attempts());
        double wait = 2.0 * single * attempts;
        if (wait >= Long.MAX_VALUE / 4.0) {
            return FOREVER;
        }
        return Long.toString(Math.max(MIN_TIER_RETENTION.toMillis(), (long) wait));
    }

    /** {@code retention.ms} of the dead-letter topic. */
    public static String deadLetterRetention(LadderSettings settings) {
        Duration retention = settings.deadLetterRetention();
        return retention == null ? FOREVER : Long.toString(retention.toMillis());
    }

    /** The configs of every tier and the dead-letter topic, by topic name (the output topic has none). */
    public static Map<String, Map<String, String>> forTopics(LadderSettings settings) {
        Map<String, Map<String, String>> configs = new LinkedHashMap<>();
        String size = Integer.toString(settings.maxMessageBytes());
        TopicNames topics = settings.topics();
        for (int i = 1; i <= topics.tiers().size(); i++) {
            configs.put(
                    topics.tier(i),
                    Map.of(
                            TopicConfig.RETENTION_MS_CONFIG,
                            tierRetention(settings, i),
                            TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                            size));
        }
        configs.put(
                topics.deadLetter(),
                Map.of(
                        TopicConfig.RETENTION_MS_CONFIG,
                        deadLetterRetention(settings),
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                        size));
        return configs;
    }

    /**
     * The configs of the stores' changelog topics: their values are envelopes as large as a tier
     * record's, so they need the same record size limit (Streams creates them with these).
     */
    public static Map<String, String> changelog(LadderSettings settings) {
        return Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(settings.maxMessageBytes()));
    }

    /** The longest single delay of an attempt on the tier, with backoff and jitter, in ms. */
    private static long longestDelay(RetryPolicy policy, Tier tier) {
        long base = tier.delay().toMillis();
        Backoff backoff = policy.backoff();
        double longest;
        if (backoff instanceof Backoff.Linear linear) {
            longest = linear.max() != null
                    ? Math.max(base, linear.max().toMillis())
                    : (double) base * (tier.isUnlimited() ? Long.MAX_VALUE : tier.attempts());
        } else if (backoff instanceof Backoff.Exponential exp) {
            longest = exp.max() != null
                    ? Math.max(base, exp.max().toMillis())
                    : base * (tier.isUnlimited() ? Double.MAX_VALUE : Math.pow(exp.multiplier(), tier.attempts() - 1));
        } else if (backoff instanceof Backoff.Random random) {
            longest = base * random.spread();
        } else {
            longest = base;
        }
        longest *= 1 + policy.jitter();
        return longest >= Long.MAX_VALUE / 8.0 ? Long.MAX_VALUE / 8 : (long) longest;
    }
}
