package dev.ladder.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.policy.LadderSettings;
import dev.ladder.policy.RetryPolicy;
import dev.ladder.policy.Tier;
import dev.ladder.policy.TopicNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What an event that succeeds at its first attempt costs in changelogged writes: one, its finished
 * entry (issue 11 asks for at most two), besides its output record.
 */
class HappyPathWritesTest {

    @TempDir
    Path stateDir;

    /** Orders with an output topic and one 1 s tier. */
    private static LadderSettings settings() {
        return LadderSettings.builder("orders")
                .policy(RetryPolicy.of(Tier.of(Duration.ofSeconds(1), 1)))
                .outputTopicPattern(TopicNames.DEFAULT_OUTPUT_PATTERN)
                .build();
    }

    @ParameterizedTest
    @ValueSource(strings = {StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE})
    void shouldWriteOneChangelogRecordPerEventThatSucceedsAtOnce(String guarantee) {
        // given a ladder whose handler always succeeds
        LadderSettings settings = settings();
        try (LadderDriver ladder = new LadderDriver(settings, ScriptedHandler.alwaysSucceeds(), guarantee, stateDir)) {
            // when 200 events of 50 keys go through (and commits release what at-least-once defers)
            for (int i = 0; i < 200; i++) {
                ladder.send(
                        "k" + (i % 50),
                        "v" + i,
                        new RecordHeader("event-id", ("e" + i).getBytes(StandardCharsets.UTF_8)));
            }
            ladder.advance(Duration.ofSeconds(1));
            ladder.send("k0", "last", new RecordHeader("event-id", "e-last".getBytes(StandardCharsets.UTF_8)));
            ladder.advance(Duration.ofSeconds(1));

            // then every event is delivered, and the changelogs hold one record per event
            assertThat(ladder.read("orders-out")).hasSize(201);
            Map<String, Integer> changelogs = new TreeMap<>();
            for (String topic : ladder.driver().producedTopicNames()) {
                if (topic.endsWith("-changelog")) {
                    changelogs.put(
                            topic,
                            ladder.driver()
                                    .createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer())
                                    .readRecordsToList()
                                    .size());
                }
            }
            assertThat(changelogs).containsOnly(Map.entry("ladder-test-ladder-finished-changelog", 201));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE})
    void shouldWriteEachRetrysTimerOnceThoughItsTierRecordComesBack(String guarantee) {
        // given a ladder whose handler fails the first attempt of every other event
        LadderSettings settings = settings();
        ScriptedHandler handler =
                new ScriptedHandler(e -> e.tier() == 0 && e.eventId().matches("e[0-9]*[02468]")
                        ? dev.ladder.handler.Outcome.retry("503")
                        : dev.ladder.handler.Outcome.success());
        try (LadderDriver ladder = new LadderDriver(settings, handler, guarantee, stateDir)) {
            // when 10 of 20 events fail once, go through tier 1 (whose records the driver reads back)
            // and succeed
            for (int i = 0; i < 20; i++) {
                ladder.send("k" + i, "v" + i, new RecordHeader("event-id", ("e" + i).getBytes(StandardCharsets.UTF_8)));
            }
            ladder.advanceInSteps(Duration.ofSeconds(3));
            ladder.send("k0", "last", new RecordHeader("event-id", "e-last".getBytes(StandardCharsets.UTF_8)));
            ladder.advanceInSteps(Duration.ofSeconds(1));

            // then each retry's timer was written once (when its tier record was sent) and deleted
            // once: the record read back found it and wrote nothing
            assertThat(ladder.read("orders-out")).hasSize(21);
            assertThat(ladder.read("orders-retry-1s")).hasSize(10);
            assertThat(ladder.driver()
                            .createOutputTopic(
                                    "ladder-test-ladder-timers-changelog",
                                    new ByteArrayDeserializer(),
                                    new ByteArrayDeserializer())
                            .readRecordsToList())
                    .hasSize(20);
        }
    }
}
