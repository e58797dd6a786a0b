package dev.ladder.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladder.avro.HeaderEntry;
import dev.ladder.avro.RetryEnvelope;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Decoding envelopes from bytes nobody vouches for: a clear rejection, never a crash or a 2 GiB buffer. */
class AvroCodecTest {

    private static final byte[] VALUE = "VALUE-MARK".getBytes(StandardCharsets.UTF_8);

    @Test
    void shouldDecodeWhatItEncodes() {
        RetryEnvelope envelope = envelope();
        assertThat(AvroCodec.ENVELOPE.decode(AvroCodec.ENVELOPE.encode(envelope)))
                .isEqualTo(envelope);
    }

    @ParameterizedTest
    @ValueSource(longs = {Integer.MAX_VALUE, Integer.MAX_VALUE - 8, 1L << 31, 1L << 40, Long.MAX_VALUE})
    void shouldRejectALengthPrefixFarBeyondTheBytesWithoutAnAvroCrash(long length) {
        // given the value's length prefix replaced by a huge one (Avro throws
        // UnsupportedOperationException for some, and allocates the length for others)
        byte[] bomb = withValueLength(length);

        // when / then
        assertThatThrownBy(() -> AvroCodec.ENVELOPE.decode(bomb))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("RetryEnvelope.value")
                .hasMessageContaining("length " + length);
    }

    @Test
    void shouldNotAllocateTheLengthAPrefixClaims() {
        // given a length just under Avro's own limit: it would allocate ~2 GiB before noticing
        byte[] bomb = withValueLength(Integer.MAX_VALUE - 16);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();

        // when
        assertThatThrownBy(() -> AvroCodec.ENVELOPE.decode(bomb)).isInstanceOf(InvalidRecordException.class);

        // then
        assertThat(threads.getCurrentThreadAllocatedBytes() - before).isLessThan(64L * 1024 * 1024);
    }

    @Test
    void shouldRejectAHeaderCountBeyondTheBytes() {
        // given the headers array's block count (1, encoded 0x02 right before the header key) set to 2^31
        RetryEnvelope envelope = envelope();
        byte[] bytes = AvroCodec.ENVELOPE.encode(envelope);
        int key = EnvelopeBytes.indexOf(bytes, "hdr".getBytes(StandardCharsets.UTF_8));
        // [count=1][key length=3][h d r]: the count sits two bytes before the key's text
        byte[] bomb = EnvelopeBytes.splice(bytes, key - 2, 1, EnvelopeBytes.zigzag(1L << 31));

        assertThatThrownBy(() -> AvroCodec.ENVELOPE.decode(bomb))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("RetryEnvelope.headers")
                .hasMessageContaining("count 2147483648");
    }

    @Test
    void shouldRejectANegativeLength() {
        assertThatThrownBy(() -> AvroCodec.ENVELOPE.decode(withValueLength(-5)))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("length -5");
    }

    @Test
    void shouldRejectBytesLeftOverAfterTheRecord() {
        byte[] bytes = AvroCodec.ENVELOPE.encode(envelope());
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);

        assertThatThrownBy(() -> AvroCodec.ENVELOPE.decode(longer))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("3 bytes left over");
    }

    @Test
    void shouldRejectEveryTruncationWithAReason() {
        byte[] bytes = AvroCodec.ENVELOPE.encode(envelope());
        for (int length = 0; length < bytes.length; length++) {
            byte[] cut = Arrays.copyOf(bytes, length);
            assertThatThrownBy(() -> AvroCodec.ENVELOPE.decode(cut))
                    .as("truncated to %d bytes", length)
                    .isInstanceOf(InvalidRecordException.class);
        }
    }

    @Test
    void shouldNameAnUnknownSchemaVersion() {
        byte[] bytes = AvroCodec.ENVELOPE.encode(envelope());
        bytes[2] ^= 0x5A;

        assertThatThrownBy(() -> AvroCodec.ENVELOPE.decode(bytes))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("unknown RetryEnvelope schema version");
    }

    static RetryEnvelope envelope() {
        List<HeaderEntry> headers = new ArrayList<>();
        headers.add(new HeaderEntry("hdr", ByteBuffer.wrap(new byte[] {1, 2})));
        return RetryEnvelope.newBuilder()
                .setEventId("e-1")
                .setOriginalTopic("orders")
                .setOriginalPartition(0)
                .setOriginalOffset(7)
                .setOriginalTimestamp(1_000)
                .setKey(ByteBuffer.wrap("k".getBytes(StandardCharsets.UTF_8)))
                .setValue(ByteBuffer.wrap(VALUE))
                .setHeaders(headers)
                .setAttempts(1)
                .setTier(1)
                .setTierAttempt(1)
                .setFirstAttemptTime(1_000)
                .setDueTime(61_000L)
                .setErrors(new ArrayList<>())
                .build();
    }

    /** The envelope with the value's length prefix (one byte for a 10-byte value) replaced. */
    private static byte[] withValueLength(long length) {
        return EnvelopeBytes.withLength(envelope(), "VALUE-MARK", length);
    }
}
