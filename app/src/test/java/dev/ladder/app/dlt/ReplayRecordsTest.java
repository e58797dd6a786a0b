package dev.ladder.app.dlt;

import static dev.ladder.app.dlt.DeadLetterReaderTest.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.app.dlt.ReplayRecords.Replay;
import dev.ladder.app.dlt.ReplayRecords.Target;
import dev.ladder.avro.ErrorRecord;
import dev.ladder.avro.HeaderEntry;
import dev.ladder.avro.RetryEnvelope;
import dev.ladder.serde.AvroCodec;
import dev.ladder.serde.AvroEnvelopeSerde;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

class ReplayRecordsTest {

    private static final Target ORDERS =
            new Target("orders", 4, "event-id", Set.of("orders", "orders-retry-1m", "orders-dlt"));

    private final DeadLetterReader reader = new DeadLetterReader("event-id", new AvroEnvelopeSerde());

    @Test
    void shouldSendTheOriginalRecordToItsPartitionWithADeterministicReplayId() {
        // given a Ladder dead letter at orders-dlt 0@5, first read from orders-2@41
        DeadLetter d = reader.read(DeadLetterReaderTest.record(
                AvroCodec.ENVELOPE.encode(DeadLetterReaderTest.envelope("e-1", "K", "v")), new RecordHeaders()));

        // when
        ProducerRecord<byte[], byte[]> r = send(d, ORDERS);

        // then
        assertThat(r.topic()).isEqualTo("orders");
        assertThat(r.partition()).isEqualTo(2);
        assertThat(r.key()).isEqualTo(utf8("K"));
        assertThat(r.value()).isEqualTo(utf8("v"));
        assertThat(r.timestamp()).isNull();
        assertThat(r.headers().toArray()).extracting(Header::key).containsExactly("trace", "event-id", "ladder-replay");
        assertThat(text(r.headers().lastHeader("event-id"))).isEqualTo("e-1~replay-0-5");
        assertThat(text(r.headers().lastHeader("ladder-replay"))).isEqualTo("orders-dlt-0@5");
        assertThat(send(d, ORDERS).headers())
                .isEqualTo(r.headers()); // the same dead letter always gives the same replay
    }

    @Test
    void shouldPartitionARawDeadLetterWithoutAnOriginalTopicByItsKey() {
        // given a plain record in the dead-letter topic: no Ladder, Spring, Connect or Streams headers
        DeadLetter d = reader.read(DeadLetterReaderTest.record(utf8("v"), new RecordHeaders()));

        // when
        ProducerRecord<byte[], byte[]> r = send(d, ORDERS);

        // then it knows no original partition, so its key decides (it once threw a NullPointerException)
        assertThat(d.format()).isEqualTo(DeadLetter.Format.RAW);
        assertThat(d.originalTopic()).isNull();
        assertThat(r.partition()).isEqualTo(Utils.toPositive(Utils.murmur2(utf8("K"))) % 4);
    }

    @Test
    void shouldPartitionByTheKeyForAnotherTopicOrTooFewPartitions() {
        // given a dead letter of orders-2, replayed where its partition means nothing
        DeadLetter d = reader.read(DeadLetterReaderTest.record(
                AvroCodec.ENVELOPE.encode(DeadLetterReaderTest.envelope("e-1", "K", "v")), new RecordHeaders()));
        int byKey3 = Utils.toPositive(Utils.murmur2(utf8("K"))) % 3;

        // then Kafka's default partitioning of the key decides, whatever the replay producer's partitioner
        assertThat(send(d, Target.of("elsewhere", 3, "event-id")).partition()).isEqualTo(byKey3);
        assertThat(send(d, new Target("orders", 2, "event-id", Set.of("orders")))
                        .partition())
                .isEqualTo(Utils.toPositive(Utils.murmur2(utf8("K"))) % 2);
    }

    @Test
    void shouldKeepTheKeysPartitionWhenTheDeadLetterCameFromATopicPartitionedLikeTheTarget() {
        // given a Spring dead letter first read from the main topic's tier topic, partition 3
        RecordHeaders headers = new RecordHeaders();
        headers.add("kafka_dlt-original-topic", utf8("orders-retry-1m"));
        headers.add(
                "kafka_dlt-original-partition", ByteBuffer.allocate(4).putInt(3).array());
        headers.add(
                "kafka_dlt-original-offset", ByteBuffer.allocate(8).putLong(8).array());
        DeadLetter d = reader.read(DeadLetterReaderTest.record(utf8("x"), headers));

        // then it goes to partition 3 of the main topic, where Ladder keeps that key
        assertThat(send(d, ORDERS).partition()).isEqualTo(3);
    }

    @Test
    void shouldStripForeignErrorHeaders() {
        // given a Spring dead letter with an application header between Spring's
        RecordHeaders headers = new RecordHeaders();
        headers.add("kafka_dlt-original-topic", utf8("orders"));
        headers.add(
                "kafka_dlt-original-partition", ByteBuffer.allocate(4).putInt(1).array());
        headers.add(
                "kafka_dlt-original-offset", ByteBuffer.allocate(8).putLong(3).array());
        headers.add("tenant", utf8("acme"));
        headers.add("retry_topic-attempts", ByteBuffer.allocate(4).putInt(3).array());
        DeadLetter d = reader.read(DeadLetterReaderTest.record(utf8("x"), headers));

        // when
        ProducerRecord<byte[], byte[]> r = send(d, Target.of("orders", 2, "event-id"));

        // then
        assertThat(r.partition()).isEqualTo(1);
        assertThat(r.headers().toArray())
                .extracting(Header::key)
                .containsExactly("tenant", "event-id", "ladder-replay");
        assertThat(text(r.headers().lastHeader("event-id"))).isEqualTo("orders-1@3~replay-0-5");
    }

    @Test
    void shouldSkipADeadLetteredControlRecord() {
        // given the dead letter the processor writes for an unknown control command
        RetryEnvelope e = invalid("orders-retry-1m", null, "unknown control command 'explode'");
        e.setHeaders(List.of(new HeaderEntry("ladder-control", ByteBuffer.wrap(utf8("explode")))));
        DeadLetter d = reader.read(DeadLetterReaderTest.record(AvroCodec.ENVELOPE.encode(e), new RecordHeaders()));

        // then it is not sent, and says why
        assertThat(ReplayRecords.plan(d, ORDERS, reader))
                .isEqualTo(new Replay.Skip("a control record (ladder-control: explode)"));
    }

    @Test
    void shouldSkipAnUnreadableTierRecord() {
        // given the dead letter of a tier record that is no envelope at all
        RetryEnvelope e = invalid("orders-retry-1m", utf8("garbage"), "not a Ladder RetryEnvelope");
        DeadLetter d = reader.read(DeadLetterReaderTest.record(AvroCodec.ENVELOPE.encode(e), new RecordHeaders()));

        // then
        assertThat(ReplayRecords.plan(d, ORDERS, reader))
                .isEqualTo(new Replay.Skip("an unreadable record of orders-retry-1m (not a Ladder RetryEnvelope)"));
    }

    @Test
    void shouldReplayTheEventAnUnreadableTierRecordWrapsOnceItCanBeRead() {
        // given a tier record a former version could not read (a newer schema), readable now
        RetryEnvelope inner = DeadLetterReaderTest.envelope("e-7", "K", "the-event");
        inner.setDeadLetterReason(null);
        RetryEnvelope e =
                invalid("orders-retry-1m", AvroCodec.ENVELOPE.encode(inner), "unknown RetryEnvelope schema version");
        DeadLetter d = reader.read(DeadLetterReaderTest.record(AvroCodec.ENVELOPE.encode(e), new RecordHeaders()));

        // when
        Replay replay = ReplayRecords.plan(d, ORDERS, reader);

        // then the event goes back as itself, to its key's partition, never the envelope's bytes
        assertThat(replay).isInstanceOfSatisfying(Replay.Send.class, s -> {
            assertThat(text(s.record().value())).isEqualTo("the-event");
            assertThat(s.record().partition()).isEqualTo(2);
            assertThat(text(s.record().headers().lastHeader("event-id"))).isEqualTo("e-7~replay-0-5");
            assertThat(s.record().headers().toArray()).extracting(Header::key).doesNotContain("ladder-event-id");
        });
    }

    @Test
    void shouldSkipAnEnvelopeThisVersionCannotReadButReplayAForeignAvroPayload() {
        // given bytes with the Avro single-object marker that no known schema reads
        byte[] avro = {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9};
        RecordHeaders ladders = new RecordHeaders();
        ladders.add("ladder-event-id", utf8("e-9"));
        RecordHeaders springs = new RecordHeaders();
        springs.add("kafka_dlt-original-topic", utf8("orders"));
        springs.add(
                "kafka_dlt-original-partition", ByteBuffer.allocate(4).putInt(1).array());

        // when Ladder wrote them (a newer version), and when Spring dead-lettered an Avro event
        Replay ladder = ReplayRecords.plan(reader.read(DeadLetterReaderTest.record(avro, ladders)), ORDERS, reader);
        DeadLetter spring = reader.read(DeadLetterReaderTest.record(avro, springs));

        // then
        assertThat(ladder)
                .isInstanceOfSatisfying(
                        Replay.Skip.class,
                        s -> assertThat(s.reason()).startsWith("a Ladder envelope this version cannot read"));
        assertThat(spring.format()).isEqualTo(DeadLetter.Format.SPRING);
        assertThat(send(spring, ORDERS).value()).isEqualTo(avro);
        assertThat(send(spring, ORDERS).partition()).isEqualTo(1);
    }

    /** The envelope the processor dead-letters for a tier record it cannot read. */
    private static RetryEnvelope invalid(String tier, byte[] value, String reason) {
        RetryEnvelope e = DeadLetterReaderTest.envelope("invalid-" + tier + "-2@4", "K", "x");
        e.setOriginalTopic(tier);
        e.setValue(value == null ? null : ByteBuffer.wrap(value));
        e.setHeaders(List.of());
        e.setErrorsElided(0);
        e.setErrors(List.of(ErrorRecord.newBuilder()
                .setTimestamp(1)
                .setTopic(tier)
                .setTier(1)
                .setAttempt(0)
                .setKind("INVALID_RECORD")
                .setMessage(reason)
                .build()));
        return e;
    }

    private ProducerRecord<byte[], byte[]> send(DeadLetter d, Target target) {
        Replay replay = ReplayRecords.plan(d, target, reader);
        assertThat(replay).isInstanceOf(Replay.Send.class);
        return ((Replay.Send) replay).record();
    }

    private static String text(Header h) {
        return new String(h.value(), StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
