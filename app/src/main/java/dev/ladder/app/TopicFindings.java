package dev.ladder.app;

import dev.ladder.policy.LadderSettings;
import dev.ladder.policy.TopicConfigs;
import dev.ladder.policy.TopicNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;

/**
 * Compares the configs of Ladder's tier and dead-letter topics with what {@link TopicConfigs}
 * derives from the settings: a pure function, so {@code topics verify}, {@code topics create} and
 * {@code run} report the same findings, each with its fix.
 */
final class TopicFindings {

    private TopicFindings() {}

    /**
     * @param main the main topic's effective configs
     * @param actual the effective configs of the tier and dead-letter topics, by name
     */
    static List<String> of(LadderSettings settings, Map<String, String> main, Map<String, Map<String, String>> actual) {
        List<String> findings = new ArrayList<>();
        TopicNames topics = settings.topics();
        for (int i = 1; i <= topics.tiers().size(); i++) {
            String topic = topics.tier(i);
            Map<String, String> configs = actual.get(topic);
            retention(findings, topic, configs, TopicConfigs.tierRetention(settings, i), "a waiting retry");
            size(findings, topic, configs, settings);
        }
        Map<String, String> dlt = actual.get(topics.deadLetter());
        retention(findings, topics.deadLetter(), dlt, TopicConfigs.deadLetterRetention(settings), "dead letters");
        size(findings, topics.deadLetter(), dlt, settings);
        long mainLimit = TopicSetup.number(main, TopicConfig.MAX_MESSAGE_BYTES_CONFIG, -1);
        long room = TopicConfigs.envelopeRoom(settings.history(), settings.maxCheckpointBytes());
        if (mainLimit > 0 && mainLimit + room > settings.maxMessageBytes()) {
            findings.add("main topic " + topics.main() + " accepts records of up to " + mainLimit + " bytes"
                    + " (max.message.bytes), but its envelope may need " + (mainLimit + room) + " and"
                    + " topics.max-message-bytes is " + settings.maxMessageBytes() + ": a failing record near"
                    + " that size is dead-lettered without its value; set topics.max-message-bytes to at least "
                    + (mainLimit + room));
        }
        return findings;
    }

    private static void retention(
            List<String> findings, String topic, Map<String, String> configs, String wanted, String what) {
        long actual = TopicSetup.number(configs, TopicConfig.RETENTION_MS_CONFIG, -1);
        long needed = Long.parseLong(wanted);
        boolean keepsLongEnough = actual < 0 || (needed >= 0 && actual >= needed);
        if (!keepsLongEnough) {
            findings.add(topic + ": retention.ms is " + actual + ", Ladder needs "
                    + (needed < 0 ? "-1 (keep for ever)" : "at least " + needed) + ", or " + what
                    + " may be deleted before it is used; set it with kafka-configs --alter --entity-type topics"
                    + " --entity-name " + topic + " --add-config retention.ms=" + needed);
        }
        long bytes = TopicSetup.number(configs, TopicConfig.RETENTION_BYTES_CONFIG, -1);
        if (bytes >= 0) {
            findings.add(topic + ": retention.bytes is " + bytes + ", so " + what
                    + " may be deleted by size; set retention.bytes=-1");
        }
    }

    private static void size(
            List<String> findings, String topic, Map<String, String> configs, LadderSettings settings) {
        long actual = TopicSetup.number(configs, TopicConfig.MAX_MESSAGE_BYTES_CONFIG, -1);
        if (actual >= 0 && actual < settings.maxMessageBytes()) {
            findings.add(topic + ": max.message.bytes is " + actual + ", below topics.max-message-bytes ("
                    + settings.maxMessageBytes() + "): the envelope of a large event would be refused;"
                    + " set max.message.bytes=" + settings.maxMessageBytes());
        }
        long segment = TopicSetup.number(configs, TopicConfig.SEGMENT_BYTES_CONFIG, Long.MAX_VALUE);
        if (segment < settings.maxMessageBytes()) {
            findings.add(topic + ": segment.bytes is " + segment + ", below topics.max-message-bytes ("
                    + settings.maxMessageBytes() + "): a record larger than a segment is refused;"
                    + " set segment.bytes=" + 2L * settings.maxMessageBytes());
        }
    }
}
