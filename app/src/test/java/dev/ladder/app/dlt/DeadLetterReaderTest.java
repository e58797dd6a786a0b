package dev.ladder.app.dlt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.app.dlt.DeadLetter.Format;
import dev.ladder.avro.ErrorRecord;
import dev.ladder.avro.HeaderEntry;
import dev.ladder.avro.RetryEnvelope;
import dev.ladder.serde.AvroCodec;
import dev.ladder.serde.AvroEnvelopeSerde;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class DeadLetterReaderTest {

    private final DeadLetterReader reader = new DeadLetterReader("event-id", new AvroEnvelopeSerde());

    @Test
    void shouldReadLaddersEnvelopeWithItsHistory() {
        // given a Ladder dead letter whose original record had an event-id header
        RetryEnvelope envelope = envelope("e-1", "K", "payload");

        // when
        DeadLetter d = reader.read(record(AvroCodec.ENVELOPE.encode(envelope), new RecordHeaders()));

        // then
        assertThat(d.format()).isEqualTo(Format.LADDER);
        assertThat(d.eventId()).isEqualTo("e-1");
        assertThat(d.keyText()).isEqualTo("K");
        assertThat(text(d.value())).isEqualTo("payload");
        assertThat(d.headers()).extracting(Header::key).containsExactly("event-id", "trace");
        assertThat(d.originalTopic()).isEqualTo("orders");
        assertThat(d.originalPartition()).isEqualTo(2);
        assertThat(d.originalOffset()).isEqualTo(41L);
        assertThat(d.attempts()).isEqualTo(4);
        assertThat(d.retryTime()).contains(java.time.Duration.ofSeconds(90));
        assertThat(d.reason()).isEqualTo("attempts exhausted");
        assertThat(d.exceptionClass()).isEqualTo("java.net.ConnectException");
        assertThat(d.httpStatus()).isEqualTo(503);
        assertThat(d.errors()).hasSize(2);
        assertThat(d.errorsElided()).isEqualTo(1);
    }

    @Test
    void shouldReadSpringHeadersWithBinaryNumbers() {
        // given Spring Kafka's DeadLetterPublishingRecoverer output
        RecordHeaders headers = new RecordHeaders();
        headers.add("event-id", utf8("s-1"));
        headers.add("kafka_dlt-original-topic", utf8("orders"));
        headers.add(
                "kafka_dlt-original-partition", ByteBuffer.allocate(4).putInt(1).array());
        headers.add(
                "kafka_dlt-original-offset", ByteBuffer.allocate(8).putLong(77).array());
        headers.add(
                "kafka_dlt-exception-fqcn",
                utf8("org.springframework.kafka.listener.ListenerExecutionFailedException"));
        headers.add("kafka_dlt-exception-message", utf8("boom"));

        // when
        DeadLetter d = reader.read(record(utf8("{\"id\":1}"), headers));

        // then
        assertThat(d.format()).isEqualTo(Format.SPRING);
        assertThat(d.originalTopic()).isEqualTo("orders");
        assertThat(d.originalPartition()).isEqualTo(1);
        assertThat(d.originalOffset()).isEqualTo(77L);
        assertThat(d.exceptionClass()).endsWith("ListenerExecutionFailedException");
        assertThat(d.exceptionMessage()).isEqualTo("boom");
        assertThat(d.eventId()).isEqualTo("s-1");
        assertThat(d.headers()).extracting(Header::key).containsExactly("event-id");
        assertThat(text(d.value())).isEqualTo("{\"id\":1}");
    }

    @Test
    void shouldReadConnectHeadersWithTextNumbers() {
        // given Kafka Connect's dead-letter queue output (numbers as decimal text)
        RecordHeaders headers = new RecordHeaders();
        headers.add("__connect.errors.topic", utf8("orders"));
        headers.add("__connect.errors.partition", utf8("0"));
        headers.add("__connect.errors.offset", utf8("12"));
        headers.add("__connect.errors.exception.class.name", utf8("org.apache.kafka.connect.errors.DataException"));
        headers.add("__connect.errors.exception.message", utf8("bad json"));
        headers.add("__connect.errors.connector.name", utf8("sink"));
        headers.add("app", utf8("web"));

        // when
        DeadLetter d = reader.read(record(utf8("x"), headers));

        // then
        assertThat(d.format()).isEqualTo(Format.CONNECT);
        assertThat(d.originalPartition()).isZero();
        assertThat(d.originalOffset()).isEqualTo(12L);
        assertThat(d.exceptionClass()).isEqualTo("org.apache.kafka.connect.errors.DataException");
        assertThat(d.eventId()).isEqualTo("orders-0@12");
        assertThat(d.headers()).extracting(Header::key).containsExactly("app");
    }

    @Test
    void shouldReadKafkaStreamsHeaders() {
        // given Kafka Streams' (KIP-1034) dead-letter record
        RecordHeaders headers = new RecordHeaders();
        headers.add("__streams.errors.exception", utf8("org.apache.kafka.common.errors.SerializationException"));
        headers.add("__streams.errors.message", utf8("cannot deserialize"));
        headers.add("__streams.errors.stacktrace", utf8("at ..."));
        headers.add("__streams.errors.topic", utf8("orders"));
        headers.add("__streams.errors.partition", utf8("3"));
        headers.add("__streams.errors.offset", utf8("9"));

        // when
        DeadLetter d = reader.read(record(utf8("x"), headers));

        // then
        assertThat(d.format()).isEqualTo(Format.STREAMS);
        assertThat(d.originalPartition()).isEqualTo(3);
        assertThat(d.originalOffset()).isEqualTo(9L);
        assertThat(d.exceptionClass()).endsWith("SerializationException");
        assertThat(d.errors())
                .singleElement()
                .satisfies(e -> assertThat(e.stackTrace()).isEqualTo("at ..."));
        assertThat(d.headers()).isEmpty();
    }

    @Test
    void shouldListAnythingElseAsRaw() {
        // given a record without any known marker, and one with Ladder's marker but a broken body
        DeadLetter plain = reader.read(record(utf8("hello"), new RecordHeaders()));
        byte[] broken = {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9};
        DeadLetter corrupt = reader.read(record(broken, new RecordHeaders()));

        // then
        assertThat(plain.format()).isEqualTo(Format.RAW);
        assertThat(plain.eventId()).isEqualTo("orders-dlt-0@5");
        assertThat(plain.originalTopic()).isNull();
        assertThat(corrupt.format()).isEqualTo(Format.RAW);
        assertThat(corrupt.reason()).startsWith("undecodable Ladder envelope");
    }

    @Test
    void shouldShowBinaryKeysAsBase64() {
        assertThat(DeadLetter.text(new byte[] {(byte) 0xff, 0})).isEqualTo("base64:/wA=");
        assertThat(DeadLetter.utf8(utf8("ключ"))).isEqualTo(Optional.of("ключ"));
    }

    static RetryEnvelope envelope(String eventId, String key, String value) {
        ErrorRecord first = ErrorRecord.newBuilder()
                .setTimestamp(1_000)
                .setTopic("orders")
                .setTier(0)
                .setAttempt(1)
                .setKind("TRANSIENT")
                .setExceptionClass("java.io.IOException")
                .setMessage("reset")
                .build();
        ErrorRecord last = ErrorRecord.newBuilder()
                .setTimestamp(91_000)
                .setTopic("orders-retry-1m")
                .setTier(1)
                .setAttempt(4)
                .setKind("TRANSIENT")
                .setExceptionClass("java.net.ConnectException")
                .setMessage("refused")
                .setHttpStatus(503)
                .build();
        return RetryEnvelope.newBuilder()
                .setEventId(eventId)
                .setOriginalTopic("orders")
                .setOriginalPartition(2)
                .setOriginalOffset(41)
                .setOriginalTimestamp(500)
                .setKey(ByteBuffer.wrap(utf8(key)))
                .setValue(ByteBuffer.wrap(utf8(value)))
                .setHeaders(List.of(
                        new HeaderEntry("event-id", ByteBuffer.wrap(utf8(eventId))),
                        new HeaderEntry("trace", ByteBuffer.wrap(utf8("t1")))))
                .setAttempts(4)
                .setTier(1)
                .setTierAttempt(3)
                .setFirstAttemptTime(1_000)
                .setErrors(List.of(first, last))
                .setErrorsElided(1)
                .setDeadLetterReason("attempts exhausted")
                .setDeadLetterTime(91_000L)
                .build();
    }

    static ConsumerRecord<byte[], byte[]> record(byte[] value, RecordHeaders headers) {
        return new ConsumerRecord<>(
                "orders-dlt",
                0,
                5,
                2_000,
                TimestampType.CREATE_TIME,
                1,
                value.length,
                utf8("K"),
                value,
                headers,
                Optional.empty());
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
