package dev.ladder.it;

import static dev.ladder.it.OpsFixture.text;
import static dev.ladder.it.OpsFixture.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ladder.app.LadderApp;
import dev.ladder.avro.HeaderEntry;
import dev.ladder.avro.RetryEnvelope;
import dev.ladder.handler.Outcome;
import dev.ladder.serde.AvroCodec;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code ladder dlt replay} against a real broker. */
class DltReplayIT {

    @RegisterExtension
    static final KafkaBroker broker = KafkaBroker.shared();

    @TempDir
    Path dir;

    @Test
    void shouldReplayTenThousandDeadLettersOnceEachAtTheGivenRate() {
        // given 10,000 Ladder dead letters over 2 partitions
        String main = broker.uniqueTopic("rate");
        broker.createTopic(main, 2);
        broker.createTopic(main + "-dlt", 2);
        try (KafkaProducer<byte[], byte[]> producer = bulkProducer()) {
            for (int i = 0; i < 10_000; i++) {
                RetryEnvelope e = envelope("e-" + i, "k" + (i % 97), "v" + i, main, i % 2, i);
                producer.send(
                        new ProducerRecord<>(main + "-dlt", i % 2, utf8("k" + (i % 97)), AvroCodec.ENVELOPE.encode(e)));
            }
        }
        Path config = OpsFixture.config(dir, broker, main, broker.uniqueId("app"), "");

        // when all are replayed at 5,000 records/s
        long start = System.nanoTime();
        OpsFixture.Run run = OpsFixture.cli("dlt", "replay", "--config", config.toString(), "--all", "--rate", "5000");
        double commandSeconds = (System.nanoTime() - start) / 1e9;

        // then each arrives exactly once, on its original partition, at the rate asked for
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).contains("replayed 10000, skipped 0 (filtered), failed 0");
        List<ConsumerRecord<byte[], byte[]>> replayed = consume(main, 10_000);
        assertThat(replayed).hasSize(10_000);
        Set<String> ids = new HashSet<>();
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (ConsumerRecord<byte[], byte[]> r : replayed) {
            String id = text(r.headers().lastHeader("event-id").value());
            ids.add(id);
            int n = Integer.parseInt(id.substring(2, id.indexOf('~')));
            assertThat(r.partition()).isEqualTo(n % 2);
            first = Math.min(first, r.timestamp());
            last = Math.max(last, r.timestamp());
        }
        assertThat(ids).hasSize(10_000);
        // The send rate, from the records' own timestamps (producer clock): startup excluded.
        // The token bucket allows a burst of rate/10 = 500, so 9,500 records need >= 1.9 s.
        double seconds = (last - first) / 1000.0;
        double rate = (replayed.size() - 1) / seconds;
        System.out.printf(
                "replay of 10000 at --rate 5000: %.2f s sending (%.0f records/s), %.2f s for the command%n",
                seconds, rate, commandSeconds);
        System.out.println(run.err());
        assertThat(seconds).isGreaterThanOrEqualTo(1.85);
        // Tolerance: at most +6% over the asked rate (the burst allowance) — the limiter's promise.
        // Below, only a floor of 20%: on a loaded shared machine the replay itself may not reach
        // 5,000/s, and that is not what this test is about.
        assertThat(rate).isBetween(1000.0, 5300.0);
    }

    @Test
    void shouldProcessAReplayedEventOnceWhenTheReplayRunsTwice() {
        // given a running Ladder whose handler rejects originals and accepts replays, and 5 dead letters
        String main = broker.uniqueTopic("twice");
        broker.createTopic(main, 2);
        OpsFixture.Recording handler = new OpsFixture.Recording(
                e -> e.headers().lastHeader("ladder-replay") == null ? Outcome.fail("rejected") : Outcome.success());
        Path config = OpsFixture.config(dir, broker, main, broker.uniqueId("app"), "");
        try (LadderApp app = OpsFixture.start(config, handler)) {
            for (int i = 0; i < 5; i++) {
                broker.produce(main, "k" + i, "v" + i, Map.of("event-id", "e-" + i));
            }
            broker.consumeAll(main + "-dlt", 5, Duration.ofSeconds(60));

            // when the same replay runs twice, then a sentinel follows on every partition
            OpsFixture.Run once =
                    OpsFixture.cli("dlt", "replay", "--config", config.toString(), "--exception", "PERMANENT");
            OpsFixture.Run twice =
                    OpsFixture.cli("dlt", "replay", "--config", config.toString(), "--exception", "PERMANENT");
            for (int p = 0; p < 2; p++) {
                RecordHeaders h = new RecordHeaders();
                h.add("ladder-replay", utf8("sentinel"));
                broker.produce(new ProducerRecord<>(main, p, utf8("s"), utf8("sentinel-" + p), h));
            }

            // then the handler saw each replay once: the second run's records were dropped as duplicates
            assertThat(once.err()).contains("replayed 5, skipped 0 (filtered), failed 0");
            assertThat(twice.err()).contains("replayed 5, skipped 0 (filtered), failed 0");
            await("sentinels handled")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> handler.values().containsAll(List.of("sentinel-0", "sentinel-1")));
            List<String> replays =
                    handler.calls.stream().filter(c -> c.contains("~replay-")).toList();
            assertThat(replays)
                    .hasSize(5)
                    .extracting(c -> c.substring(0, c.indexOf('|')))
                    .containsExactlyInAnyOrder("v0", "v1", "v2", "v3", "v4");
        }
    }

    @Test
    void shouldReadAndReplaySpringAndConnectDeadLetters() {
        // given a foreign dead-letter topic with a Spring Kafka and a Kafka Connect dead letter
        String main = broker.uniqueTopic("foreign");
        String foreign = broker.uniqueTopic("spring-dlt");
        broker.createTopic(main, 2);
        broker.createTopic(foreign, 1);
        RecordHeaders spring = new RecordHeaders();
        spring.add("tenant", utf8("acme"));
        spring.add("kafka_dlt-original-topic", utf8(main));
        spring.add(
                "kafka_dlt-original-partition", ByteBuffer.allocate(4).putInt(1).array());
        spring.add(
                "kafka_dlt-original-offset", ByteBuffer.allocate(8).putLong(7).array());
        spring.add(
                "kafka_dlt-exception-fqcn",
                utf8("org.springframework.kafka.listener.ListenerExecutionFailedException"));
        spring.add("kafka_dlt-exception-message", utf8("listener failed"));
        broker.produce(new ProducerRecord<>(foreign, 0, utf8("ks"), utf8("spring-value"), spring));
        RecordHeaders connect = new RecordHeaders();
        connect.add("__connect.errors.topic", utf8(main));
        connect.add("__connect.errors.partition", utf8("0"));
        connect.add("__connect.errors.offset", utf8("3"));
        connect.add("__connect.errors.exception.class.name", utf8("org.apache.kafka.connect.errors.DataException"));
        connect.add("__connect.errors.exception.message", utf8("bad json"));
        broker.produce(new ProducerRecord<>(foreign, 0, utf8("kc"), utf8("connect-value"), connect));
        Path config = OpsFixture.config(dir, broker, main, broker.uniqueId("app"), "");

        // when they are listed and replayed
        OpsFixture.Run list = OpsFixture.cli("dlt", "list", "--config", config.toString(), "--dlt-topic", foreign);
        OpsFixture.Run replay =
                OpsFixture.cli("dlt", "replay", "--config", config.toString(), "--dlt-topic", foreign, "--all");

        // then both are understood and go back to their original partitions without the error headers
        assertThat(list.lines()).hasSize(2);
        assertThat(list.lines().get(0))
                .contains("\"format\":\"spring\"", "\"originalOffset\":7", "ListenerExecutionFailedException");
        assertThat(list.lines().get(1)).contains("\"format\":\"connect\"", "\"originalOffset\":3", "DataException");
        assertThat(replay.err()).contains("replayed 2, skipped 0 (filtered), failed 0");
        List<ConsumerRecord<byte[], byte[]>> sent = consume(main, 2);
        assertThat(sent)
                .hasSize(2)
                .allSatisfy(r -> assertThat(r.headers().toArray())
                        .extracting(Header::key)
                        .noneMatch(k -> k.startsWith("kafka_dlt-") || k.startsWith("__connect.")));
        ConsumerRecord<byte[], byte[]> s = sent.stream()
                .filter(r -> text(r.key()).equals("ks"))
                .findFirst()
                .orElseThrow();
        ConsumerRecord<byte[], byte[]> c = sent.stream()
                .filter(r -> text(r.key()).equals("kc"))
                .findFirst()
                .orElseThrow();
        assertThat(s.partition()).isEqualTo(1);
        assertThat(text(s.value())).isEqualTo("spring-value");
        assertThat(text(s.headers().lastHeader("tenant").value())).isEqualTo("acme");
        assertThat(text(s.headers().lastHeader("event-id").value())).isEqualTo(main + "-1@7~replay-0-0");
        assertThat(c.partition()).isZero();
        assertThat(text(c.headers().lastHeader("event-id").value())).isEqualTo(main + "-0@3~replay-0-1");
        assertThat(text(c.headers().lastHeader("ladder-replay").value())).isEqualTo(foreign + "-0@1");
    }

    @Test
    void shouldNeverReplayLaddersOwnRecordsAsBusinessEvents() {
        // given a running Ladder that dead-letters an unreadable tier record and an unknown control record
        String main = broker.uniqueTopic("internal");
        broker.createTopic(main, 2);
        String tier = main + "-retry-1s";
        Path config = OpsFixture.config(dir, broker, main, broker.uniqueId("app"), "");
        try (LadderApp app = OpsFixture.start(config, new OpsFixture.Recording(e -> Outcome.success()))) {
            broker.produce(new ProducerRecord<>(tier, 1, utf8("kg"), utf8("not-an-envelope")));
            RecordHeaders control = new RecordHeaders();
            control.add("ladder-control", utf8("explode"));
            broker.produce(new ProducerRecord<>(tier, 0, utf8("kc"), null, control));
            broker.consumeAll(main + "-dlt", 2, Duration.ofSeconds(60));
        }
        // and a dead letter of a tier record that was unreadable then (e.g. a newer schema) but wraps an event
        RetryEnvelope wrapped = envelope("e-w", "kw", "wrapped-value", main, 1, 9);
        wrapped.setDeadLetterReason(null);
        wrapped.setDeadLetterTime(null);
        RetryEnvelope invalid = envelope("invalid-" + tier + "-1@4", "kw", "x", tier, 1, 4);
        invalid.setValue(ByteBuffer.wrap(AvroCodec.ENVELOPE.encode(wrapped)));
        invalid.setHeaders(List.of(new HeaderEntry("ladder-event-id", ByteBuffer.wrap(utf8("e-w")))));
        invalid.setErrors(List.of(dev.ladder.avro.ErrorRecord.newBuilder()
                .setTimestamp(1)
                .setTopic(tier)
                .setTier(1)
                .setAttempt(0)
                .setKind("INVALID_RECORD")
                .setMessage("unknown RetryEnvelope schema version")
                .build()));
        broker.produce(new ProducerRecord<>(main + "-dlt", 1, utf8("kw"), AvroCodec.ENVELOPE.encode(invalid)));

        // when every dead letter is replayed
        OpsFixture.Run replay = OpsFixture.cli("dlt", "replay", "--config", config.toString(), "--all");

        // then only the wrapped event reaches the main topic, on its key's partition; the others are counted
        assertThat(replay.exitCode()).as(replay.err()).isZero();
        assertThat(replay.err())
                .contains("replayed 1, skipped 0 (filtered), failed 0, not replayed 2 (Ladder's own records")
                .contains("a control record (ladder-control: explode)")
                .contains("an unreadable record of " + tier);
        List<ConsumerRecord<byte[], byte[]>> sent = consume(main, 1);
        assertThat(sent).singleElement().satisfies(r -> {
            assertThat(text(r.value())).isEqualTo("wrapped-value");
            assertThat(text(r.key())).isEqualTo("kw");
            assertThat(r.partition()).isEqualTo(1);
            assertThat(text(r.headers().lastHeader("event-id").value())).startsWith("e-w~replay-1-");
        });
    }

    private static List<ConsumerRecord<byte[], byte[]>> consume(String topic, int n) {
        return new ArrayList<>(broker.consumeAll(
                topic, n, Duration.ofSeconds(60), new ByteArrayDeserializer(), new ByteArrayDeserializer()));
    }

    private static KafkaProducer<byte[], byte[]> bulkProducer() {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        broker.bootstrapServers(),
                        ProducerConfig.LINGER_MS_CONFIG,
                        5,
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                new ByteArraySerializer(),
                new ByteArraySerializer());
    }

    private static RetryEnvelope envelope(
            String id, String key, String value, String topic, int partition, long offset) {
        return RetryEnvelope.newBuilder()
                .setEventId(id)
                .setOriginalTopic(topic)
                .setOriginalPartition(partition)
                .setOriginalOffset(offset)
                .setOriginalTimestamp(0)
                .setKey(ByteBuffer.wrap(utf8(key)))
                .setValue(ByteBuffer.wrap(utf8(value)))
                .setHeaders(List.of(new HeaderEntry("event-id", ByteBuffer.wrap(utf8(id)))))
                .setAttempts(1)
                .setTier(0)
                .setTierAttempt(1)
                .setFirstAttemptTime(0)
                .setDeadLetterReason("permanent failure")
                .setDeadLetterTime(1L)
                .build();
    }
}
