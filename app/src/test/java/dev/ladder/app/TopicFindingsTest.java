package dev.ladder.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.policy.LadderSettings;
import dev.ladder.policy.TopicConfigs;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code topics verify} reports about the configs of Ladder's own topics. */
class TopicFindingsTest {

    private final LadderSettings settings = LadderSettings.builder("orders").build();

    @Test
    void shouldFindNothingInTopicsCreatedByLadder() {
        assertThat(TopicFindings.of(settings, brokerDefaults(), asCreated())).isEmpty();
    }

    @Test
    void shouldReportADeadLetterTopicThatExpiresAfterTheBrokersWeek() {
        // given a DLT someone created with the broker's default retention
        Map<String, Map<String, String>> actual = asCreated();
        actual.get("orders-dlt").put("retention.ms", "604800000");

        // then
        assertThat(TopicFindings.of(settings, brokerDefaults(), actual))
                .singleElement()
                .asString()
                .contains("orders-dlt: retention.ms is 604800000")
                .contains("-1 (keep for ever)");
    }

    @Test
    void shouldReportATierThatDeletesRetriesAndARecordLimitTooSmallForTheEnvelope() {
        Map<String, Map<String, String>> actual = asCreated();
        actual.get("orders-retry-5m").put("retention.ms", "3600000");
        actual.get("orders-retry-1m").put("max.message.bytes", "1048588");
        actual.get("orders-retry-1m").put("segment.bytes", "1048576");

        assertThat(TopicFindings.of(settings, brokerDefaults(), actual))
                .hasSize(3)
                .anySatisfy(f -> assertThat(f).startsWith("orders-retry-5m: retention.ms is 3600000"))
                .anySatisfy(f -> assertThat(f)
                        .startsWith("orders-retry-1m: max.message.bytes is 1048588")
                        .contains("max.message.bytes=1288010"))
                .anySatisfy(f -> assertThat(f).startsWith("orders-retry-1m: segment.bytes is 1048576"));
    }

    @Test
    void shouldReportAMainTopicThatAcceptsRecordsLargerThanTheEnvelopeRoomAllows() {
        Map<String, String> main = brokerDefaults();
        main.put("max.message.bytes", "5242880");
        assertThat(TopicFindings.of(settings, main, asCreated()))
                .singleElement()
                .asString()
                .startsWith("main topic orders accepts records of up to 5242880 bytes")
                .contains("at least " + (5_242_880 + 239_422));
    }

    private static Map<String, String> brokerDefaults() {
        Map<String, String> configs = new HashMap<>();
        configs.put("max.message.bytes", "1048588");
        configs.put("retention.ms", "604800000");
        configs.put("retention.bytes", "-1");
        configs.put("segment.bytes", "1073741824");
        return configs;
    }

    private Map<String, Map<String, String>> asCreated() {
        Map<String, Map<String, String>> actual = new LinkedHashMap<>();
        TopicConfigs.forTopics(settings).forEach((topic, configs) -> {
            Map<String, String> effective = brokerDefaults();
            effective.putAll(configs);
            actual.put(topic, effective);
        });
        return actual;
    }
}
