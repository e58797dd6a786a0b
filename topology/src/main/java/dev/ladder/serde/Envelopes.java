package dev.ladder.serde;

import dev.ladder.avro.ErrorRecord;
import dev.ladder.avro.HeaderEntry;
import dev.ladder.avro.RetryEnvelope;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Reading an envelope: its original key, value and headers as Kafka has them, and its last error.
 * For the engine and for whatever reads tier and dead-letter records (the DLT tools, a test);
 * envelopes are built by the engine alone.
 */
public final class Envelopes {

    private Envelopes() {}

    /** The original headers, in order. */
    public static List<Header> originalHeaders(RetryEnvelope envelope) {
        List<Header> headers = new ArrayList<>();
        for (HeaderEntry h : envelope.getHeaders()) {
            headers.add(new RecordHeader(h.getKey(), bytes(h.getValue())));
        }
        return headers;
    }

    /** The last error, or null. */
    public static ErrorRecord lastError(RetryEnvelope envelope) {
        List<ErrorRecord> errors = envelope.getErrors();
        return errors.isEmpty() ? null : errors.get(errors.size() - 1);
    }

    /** A short text of an error: {@code class: message}. */
    public static String describe(ErrorRecord error) {
        if (error == null) {
            return null;
        }
        String status = error.getHttpStatus() == null ? "" : "HTTP " + error.getHttpStatus() + " ";
        String cls = error.getExceptionClass() == null ? error.getKind() : error.getExceptionClass();
        return status + cls + ": " + error.getMessage();
    }

    /** The bytes of a nullable Avro bytes field. */
    public static byte[] bytes(ByteBuffer buffer) {
        if (buffer == null) {
            return null;
        }
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }
}
