package dev.ladder.serde;

import dev.ladder.avro.RetryEnvelope;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Byte surgery on encoded envelopes, for tests that feed Ladder records nobody should write. */
public final class EnvelopeBytes {

    private EnvelopeBytes() {}

    /**
     * The encoded envelope with the length prefix of the bytes or string field whose content is
     * {@code marker} replaced by {@code length} (the content must be shorter than 64 bytes, so its
     * prefix is one byte).
     */
    public static byte[] withLength(RetryEnvelope envelope, String marker, long length) {
        byte[] bytes = AvroCodec.ENVELOPE.encode(envelope);
        int at = indexOf(bytes, marker.getBytes(StandardCharsets.UTF_8));
        return splice(bytes, at - 1, 1, zigzag(length));
    }

    /** Avro's zig-zag varint of a long. */
    public static byte[] zigzag(long value) {
        long n = (value << 1) ^ (value >> 63);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while ((n & ~0x7FL) != 0) {
            out.write((int) ((n & 0x7F) | 0x80));
            n >>>= 7;
        }
        out.write((int) n);
        return out.toByteArray();
    }

    /** {@code bytes} with {@code remove} bytes at {@code at} replaced by {@code insert}. */
    public static byte[] splice(byte[] bytes, int at, int remove, byte[] insert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(bytes, 0, at);
        out.write(insert, 0, insert.length);
        out.write(bytes, at + remove, bytes.length - at - remove);
        return out.toByteArray();
    }

    /** Where {@code part} first occurs in {@code bytes}. */
    public static int indexOf(byte[] bytes, byte[] part) {
        outer:
        for (int i = 0; i <= bytes.length - part.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (bytes[i + j] != part[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException("marker not found in the encoded envelope");
    }
}
