package dev.ladder.topology.internals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.avro.HeaderEntry;
import dev.ladder.avro.RetryEnvelope;
import dev.ladder.serde.AvroCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * {@link EnvelopeFactory#fromRecord} builds the fresh envelope with the all-args constructor (the
 * builder measured slow on the happy path); it must build exactly what the builder would, with the
 * schema's defaults for every field it does not set.
 */
class EnvelopeFactoryTest {

    private static final long NOW = 1_767_225_600_000L;

    @Test
    void shouldBuildWhatTheBuilderBuildsWithTheSchemasDefaults() {
        byte[] key = "k".getBytes(StandardCharsets.UTF_8);
        byte[] value = "v".getBytes(StandardCharsets.UTF_8);
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace", "t-1".getBytes(StandardCharsets.UTF_8));
        headers.add("empty", null);

        RetryEnvelope built = EnvelopeFactory.fromRecord("e-1", key, value, headers, "orders", 3, 42L, NOW - 5, NOW);

        // only the fields an event has when first seen; everything else is the schema's default
        RetryEnvelope expected = RetryEnvelope.newBuilder()
                .setEventId("e-1")
                .setOriginalTopic("orders")
                .setOriginalPartition(3)
                .setOriginalOffset(42L)
                .setOriginalTimestamp(NOW - 5)
                .setKey(ByteBuffer.wrap(key))
                .setValue(ByteBuffer.wrap(value))
                .setHeaders(List.of(
                        new HeaderEntry("trace", ByteBuffer.wrap("t-1".getBytes(StandardCharsets.UTF_8))),
                        new HeaderEntry("empty", null)))
                .setAttempts(0)
                .setTier(0)
                .setTierAttempt(1)
                .setFirstAttemptTime(NOW)
                .build();
        assertThat(built).isEqualTo(expected);
        // and it encodes the same, so what reaches the stores and the tier topics is unchanged
        assertThat(AvroCodec.ENVELOPE.encode(built)).isEqualTo(AvroCodec.ENVELOPE.encode(expected));
    }

    @Test
    void shouldCopyTheHeaderValuesAndGiveEachEnvelopeItsOwnErrorList() {
        byte[] traceValue = "t-1".getBytes(StandardCharsets.UTF_8);
        RecordHeaders headers = new RecordHeaders();
        headers.add("trace", traceValue);

        RetryEnvelope first = EnvelopeFactory.fromRecord("e-1", null, null, headers, "orders", 0, 0L, NOW, NOW);
        RetryEnvelope second = EnvelopeFactory.fromRecord("e-2", null, null, headers, "orders", 0, 1L, NOW, NOW);
        traceValue[0] = 'X';

        assertThat(first.getHeaders().get(0).getValue())
                .isEqualTo(ByteBuffer.wrap("t-1".getBytes(StandardCharsets.UTF_8)));
        assertThat(first.getKey()).isNull();
        assertThat(first.getValue()).isNull();
        List<dev.ladder.avro.ErrorRecord> firstErrors = first.getErrors();
        assertThat(firstErrors).isInstanceOf(ArrayList.class).isEmpty();
        assertThat(firstErrors).isNotSameAs(second.getErrors());
    }
}
