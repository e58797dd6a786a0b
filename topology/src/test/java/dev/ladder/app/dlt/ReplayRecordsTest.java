package dev.ladder.app.dlt;

import static dev.ladder.app.dlt.DeadLetterReaderTest.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.serde.AvroCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class ReplayRecordsTest {

    private final DeadLetterReader reader = new DeadLetterReader("event-id");

    @Test
    void shouldSendTheOriginalRecordToItsPartitionWithADeterministicReplayId() {
        // given a Ladder dead letter at orders-dlt 0@5, first read from orders-2@41
        DeadLetter d = reader.read(DeadLetterReaderTest.record(
                AvroCodec.ENVELOPE.encode(DeadLetterReaderTest.envelope("e-1", "K", "v")), new RecordHeaders()));

        // when
        ProducerRecord<byte[], byte[]> r = ReplayRecords.toRecord(d, "orders", 4, "event-id");

        // then
        assertThat(r.topic()).isEqualTo("orders");
        assertThat(r.partition()).isEqualTo(2);
        assertThat(r.key()).isEqualTo(utf8("K"));
        assertThat(r.value()).isEqualTo(utf8("v"));
        assertThat(r.timestamp()).isNull();
        assertThat(r.headers().toArray()).extracting(Header::key).containsExactly("trace", "event-id", "ladder-replay");
        assertThat(text(r.headers().lastHeader("event-id"))).isEqualTo("e-1~replay-0-5");
        assertThat(text(r.headers().lastHeader("ladder-replay"))).isEqualTo("orders-dlt-0@5");
        assertThat(ReplayRecords.toRecord(d, "orders", 4, "event-id").headers())
                .isEqualTo(r.headers()); // the same dead letter always gives the same replay
    }

    @Test
    void shouldLeaveThePartitionToThePartitionerForAnotherTopicOrTooFewPartitions() {
        DeadLetter d = reader.read(DeadLetterReaderTest.record(
                AvroCodec.ENVELOPE.encode(DeadLetterReaderTest.envelope("e-1", "K", "v")), new RecordHeaders()));
        assertThat(ReplayRecords.toRecord(d, "elsewhere", 4, "event-id").partition())
                .isNull();
        assertThat(ReplayRecords.toRecord(d, "orders", 2, "event-id").partition())
                .isNull();
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
        ProducerRecord<byte[], byte[]> r = ReplayRecords.toRecord(d, "orders", 2, "event-id");

        // then
        assertThat(r.partition()).isEqualTo(1);
        assertThat(r.headers().toArray())
                .extracting(Header::key)
                .containsExactly("tenant", "event-id", "ladder-replay");
        assertThat(text(r.headers().lastHeader("event-id"))).isEqualTo("orders-1@3~replay-0-5");
    }

    private static String text(Header h) {
        return new String(h.value(), StandardCharsets.UTF_8);
    }
}
