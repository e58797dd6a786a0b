package dev.ladder.it;

import static dev.ladder.it.CommittedReader.header;
import static dev.ladder.it.CommittedReader.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ladder.app.LadderApp;
import dev.ladder.avro.RetryEnvelope;
import dev.ladder.config.LadderConfig;
import dev.ladder.kernel.LadderHeaders;
import dev.ladder.policy.TopicNames;
import dev.ladder.serde.AvroCodec;
import dev.ladder.testing.TestHttpServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** What the real app does with input it cannot use: a garbage tier record, a mis-sized tier topic. */
class BadInputIT {

    @RegisterExtension
    static final KafkaBroker broker = KafkaBroker.shared();

    @TempDir
    Path dir;

    @Test
    void shouldDeadLetterAGarbageTierRecordAndKeepProcessing() throws Exception {
        // given a running Ladder
        String main = broker.uniqueTopic("garbage");
        broker.createTopic(main, 2);
        try (TestHttpServer hook = TestHttpServer.byEvent((id, arrival) -> 200)) {
            LadderConfig config = new LadderFixture(
                            broker.uniqueId("ladder-garbage"), broker.bootstrapServers(), main, hook.url())
                    .load(dir.resolve("conf"), dir.resolve("state"));
            TopicNames topics = LadderFixture.topics(config);
            try (LadderApp app = new LadderApp(config, null, true).start()) {
                await("Ladder ready")
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> LadderFixture.get(app.port(), "/health/ready") == 200);

                // when a record that is no retry envelope lands on a tier topic, then an event on the main topic
                byte[] garbage = "definitely not avro".getBytes(StandardCharsets.UTF_8);
                broker.produce(
                        new ProducerRecord<>(topics.tier(1), 0, "k-g".getBytes(StandardCharsets.UTF_8), garbage));
                broker.produce(main, "k-next", "next", Map.of("event-id", "after-garbage"));

                // then the garbage is a dead letter with a reason, and the next event is processed
                try (CommittedReader dlt = new CommittedReader(broker.bootstrapServers(), topics.deadLetter());
                        CommittedReader out = new CommittedReader(
                                broker.bootstrapServers(), topics.output().orElseThrow())) {
                    await("garbage in the dead-letter topic")
                            .atMost(Duration.ofSeconds(30))
                            .pollInterval(Duration.ZERO)
                            .until(() -> !dlt.poll().isEmpty());
                    await("after-garbage in the output topic")
                            .atMost(Duration.ofSeconds(30))
                            .pollInterval(Duration.ZERO)
                            .until(() -> out.poll().stream()
                                    .anyMatch(r -> "after-garbage".equals(header(r, LadderHeaders.EVENT_ID))));
                    List<ConsumerRecord<String, byte[]>> dead = dlt.poll();
                    assertThat(dead).singleElement().satisfies(r -> {
                        assertThat(r.key()).isEqualTo("k-g");
                        assertThat(header(r, LadderHeaders.REASON))
                                .contains("invalid record")
                                .contains(topics.tier(1));
                        RetryEnvelope envelope = AvroCodec.ENVELOPE.decode(r.value());
                        assertThat(utf8(envelope.getValue())).isEqualTo("definitely not avro");
                        assertThat(envelope.getErrors())
                                .singleElement()
                                .satisfies(e -> assertThat(e.getKind()).isEqualTo("INVALID_RECORD"));
                    });
                }
                assertThat(hook.arrivals("after-garbage")).hasSize(1);
                assertThat(LadderFixture.get(app.port(), "/health/live")).isEqualTo(200);
            }
        }
    }

    @Test
    void shouldRefuseToStartWhenATierTopicHasAnotherPartitionCount() throws Exception {
        // given a 2-partition main topic and its first tier topic pre-created with 3 partitions
        String main = broker.uniqueTopic("sized");
        broker.createTopic(main, 2);
        try (TestHttpServer hook = TestHttpServer.byEvent((id, arrival) -> 200)) {
            LadderConfig config = new LadderFixture(
                            broker.uniqueId("ladder-sized"), broker.bootstrapServers(), main, hook.url())
                    .load(dir.resolve("conf"), dir.resolve("state"));
            TopicNames topics = LadderFixture.topics(config);
            broker.createTopic(topics.tier(1), 3);

            // when Ladder starts
            try (LadderApp app = new LadderApp(config, null, true).start()) {
                // then it fails (does not hang) with a message naming the topic and both counts
                await("Ladder failed on the partition count")
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> app.failure().isPresent());
                assertThat(app.failure().orElseThrow())
                        .contains(topics.tier(1) + " has 3")
                        .contains("'" + main + "' (2 partitions)");
                var live = LadderFixture.fetch(app.port(), "/health/live");
                assertThat(live.statusCode()).isEqualTo(503);
                assertThat(live.body()).contains("DOWN").contains(topics.tier(1));
                assertThat(LadderFixture.get(app.port(), "/health/ready")).isEqualTo(503);
                assertThat(app.streams()).as("Streams never started").isEmpty();
            }
        }
    }
}
