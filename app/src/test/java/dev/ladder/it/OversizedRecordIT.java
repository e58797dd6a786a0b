package dev.ladder.it;

import static dev.ladder.it.CommittedReader.header;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Records near the broker's size limit, on a broker with default limits: an event that fails once
 * must neither crash the stream thread (and every instance that takes its task over) nor be lost.
 */
class OversizedRecordIT {

    @RegisterExtension
    static final KafkaBroker broker = KafkaBroker.shared();

    /** A value a little under the broker's default limit of 1,048,588 bytes. */
    private static final int NEAR_LIMIT = 1_040_000;

    @TempDir
    Path dir;

    @Test
    void shouldRetryANearLimitValueOnceAndDeliverItExactlyOnce() throws Exception {
        // given a running Ladder, and a downstream that fails each event's first call with a 503
        String main = broker.uniqueTopic("big");
        broker.createTopic(main, 1);
        try (TestHttpServer hook = TestHttpServer.byEvent((id, arrival) -> arrival == 1 ? 503 : 200)) {
            LadderConfig config = new LadderFixture(
                            broker.uniqueId("ladder-big"), broker.bootstrapServers(), main, hook.url())
                    .load(dir.resolve("conf"), dir.resolve("state"));
            TopicNames topics = LadderFixture.topics(config);
            try (LadderApp app = new LadderApp(config, null, true).start()) {
                await("Ladder ready")
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> LadderFixture.get(app.port(), "/health/ready") == 200);

                // when a 1,040,000-byte value (with a few KB of tracing headers, as real records have) arrives
                RecordHeaders headers = new RecordHeaders();
                headers.add("event-id", utf8("big-1"));
                for (int i = 0; i < 3; i++) {
                    headers.add("trace-context-" + i, filler(1_500, 'h'));
                }
                broker.produce(new ProducerRecord<>(main, null, utf8("k-big"), filler(NEAR_LIMIT, 'v'), headers));
                broker.produce(main, "k-after", "after", Map.of("event-id", "after-1"));

                // then it is retried once and delivered exactly once, and the app keeps running
                await("big-1 delivered after one retry")
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> hook.arrivals("big-1").size() >= 2
                                && hook.arrivals("after-1").size() >= 2);
                try (CommittedReader out = new CommittedReader(
                        broker.bootstrapServers(), topics.output().orElseThrow())) {
                    await("both in the output topic")
                            .atMost(Duration.ofSeconds(30))
                            .pollInterval(Duration.ZERO)
                            .until(() -> out.poll().size() >= 2);
                    List<ConsumerRecord<String, byte[]>> outputs = out.poll();
                    assertThat(outputs)
                            .filteredOn(r -> "big-1".equals(header(r, LadderHeaders.EVENT_ID)))
                            .singleElement()
                            .satisfies(r -> assertThat(r.value()).hasSize(NEAR_LIMIT));
                }
                assertThat(hook.arrivals("big-1"))
                        .extracting(TestHttpServer.Call::status)
                        .containsExactly(503, 200);
                assertThat(hook.arrivals("big-1").get(1).body()).hasSize(NEAR_LIMIT);
                assertThat(app.failure()).isEmpty();
                assertThat(LadderFixture.get(app.port(), "/health/live")).isEqualTo(200);
            }
        }
    }

    @Test
    void shouldDeadLetterAValueWhoseEnvelopeCannotFitAndKeepRunning() throws Exception {
        // given a main topic that allows 2 MB records, larger than Ladder's tier and dead-letter topics allow
        String main = broker.uniqueTopic("huge");
        broker.admin()
                .createTopics(List.of(new NewTopic(main, 1, (short) 1)
                        .configs(Map.of(
                                TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                                "2100000",
                                TopicConfig.SEGMENT_BYTES_CONFIG,
                                "8388608"))))
                .all()
                .get(30, TimeUnit.SECONDS);
        try (TestHttpServer hook = TestHttpServer.byEvent((id, arrival) -> id.startsWith("huge") ? 503 : 200)) {
            LadderConfig config = new LadderFixture(
                            broker.uniqueId("ladder-huge"), broker.bootstrapServers(), main, hook.url())
                    .load(dir.resolve("conf"), dir.resolve("state"));
            TopicNames topics = LadderFixture.topics(config);
            try (LadderApp app = new LadderApp(config, null, true).start()) {
                await("Ladder ready")
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> LadderFixture.get(app.port(), "/health/ready") == 200);

                // when a 2,000,000-byte value fails its first attempt, then another event arrives
                RecordMetadata huge;
                try (KafkaProducer<byte[], byte[]> producer = bigProducer()) {
                    RecordHeaders headers = new RecordHeaders();
                    headers.add("event-id", utf8("huge-1"));
                    huge = producer.send(
                                    new ProducerRecord<>(main, null, utf8("k-huge"), filler(2_000_000, 'x'), headers))
                            .get(30, TimeUnit.SECONDS);
                }
                broker.produce(main, "k-next", "next", Map.of("event-id", "next-1"));

                // then the huge event is a dead letter that says why and where its bytes are
                try (CommittedReader dlt = new CommittedReader(broker.bootstrapServers(), topics.deadLetter())) {
                    await("huge-1 dead-lettered")
                            .atMost(Duration.ofSeconds(60))
                            .pollInterval(Duration.ZERO)
                            .until(() -> !dlt.poll().isEmpty());
                    assertThat(dlt.poll()).singleElement().satisfies(r -> {
                        assertThat(header(r, LadderHeaders.EVENT_ID)).isEqualTo("huge-1");
                        assertThat(header(r, LadderHeaders.REASON))
                                .contains("too large")
                                .contains(main + "-0@" + huge.offset());
                        RetryEnvelope envelope = AvroCodec.ENVELOPE.decode(r.value());
                        assertThat(envelope.getValue())
                                .as("original left in the main topic")
                                .isNull();
                        assertThat(envelope.getOriginalTopic()).isEqualTo(main);
                        assertThat(envelope.getOriginalOffset()).isEqualTo(huge.offset());
                        assertThat(envelope.getErrors())
                                .extracting(e -> e.getKind())
                                .contains("RECORD_TOO_LARGE");
                    });
                }
                // and the app keeps running: the next event is delivered
                await("next-1 delivered")
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> hook.arrivals("next-1").size() == 1);
                assertThat(hook.arrivals("huge-1")).hasSize(1);
                assertThat(app.failure()).isEmpty();
                assertThat(LadderFixture.get(app.port(), "/health/live")).isEqualTo(200);
            }
        }
    }

    private static KafkaProducer<byte[], byte[]> bigProducer() {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        broker.bootstrapServers(),
                        ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                        2_100_000,
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    private static byte[] filler(int size, char c) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) c);
        return bytes;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
