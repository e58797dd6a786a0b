package dev.ladder.topology.internals;

import dev.ladder.avro.ErrorRecord;
import dev.ladder.avro.RetryEnvelope;
import dev.ladder.kernel.LadderHeaders;
import dev.ladder.serde.Envelopes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The headers of the records Ladder writes. Every record keeps the original headers, in order;
 * Ladder adds its own after them, and dead letters also carry Spring Kafka's {@code kafka_dlt-*}
 * headers so existing DLT tools read them unchanged.
 */
final class OutboundHeaders {

    private OutboundHeaders() {}

    /** Headers of a record on a tier topic. */
    static Headers forRetry(RetryEnvelope envelope) {
        Headers headers = base(envelope);
        headers.add(LadderHeaders.TIER, intBytes(envelope.getTier()));
        headers.add(LadderHeaders.DUE_TIME, longBytes(envelope.getDueTime() == null ? 0 : envelope.getDueTime()));
        headers.add(LadderHeaders.SPRING_RETRY_ATTEMPTS, intBytes(envelope.getAttempts()));
        return headers;
    }

    /** Headers of a dead letter. */
    static Headers forDeadLetter(RetryEnvelope envelope) {
        Headers headers = base(envelope);
        headers.add(LadderHeaders.REASON, utf8(envelope.getDeadLetterReason()));
        headers.add(LadderHeaders.DLT_ORIGINAL_TOPIC, utf8(envelope.getOriginalTopic()));
        headers.add(LadderHeaders.DLT_ORIGINAL_PARTITION, intBytes(envelope.getOriginalPartition()));
        headers.add(LadderHeaders.DLT_ORIGINAL_OFFSET, longBytes(envelope.getOriginalOffset()));
        headers.add(LadderHeaders.DLT_ORIGINAL_TIMESTAMP, longBytes(envelope.getOriginalTimestamp()));
        headers.add(LadderHeaders.DLT_ORIGINAL_TIMESTAMP_TYPE, utf8("CreateTime"));
        ErrorRecord last = Envelopes.lastError(envelope);
        if (last != null) {
            headers.add(
                    LadderHeaders.DLT_EXCEPTION_FQCN,
                    utf8(last.getExceptionClass() == null ? last.getKind() : last.getExceptionClass()));
            headers.add(LadderHeaders.DLT_EXCEPTION_MESSAGE, utf8(last.getMessage()));
            if (last.getStackTrace() != null) {
                headers.add(LadderHeaders.DLT_EXCEPTION_STACKTRACE, utf8(last.getStackTrace()));
            }
        }
        return headers;
    }

    /** Headers of a success on the output topic. */
    static Headers forOutput(RetryEnvelope envelope) {
        return base(envelope);
    }

    private static Headers base(RetryEnvelope envelope) {
        Headers headers = new RecordHeaders(Envelopes.originalHeaders(envelope));
        headers.remove(LadderHeaders.EVENT_ID);
        headers.remove(LadderHeaders.ATTEMPTS);
        headers.add(LadderHeaders.EVENT_ID, utf8(envelope.getEventId()));
        headers.add(LadderHeaders.ATTEMPTS, intBytes(envelope.getAttempts()));
        return headers;
    }

    static byte[] intBytes(int value) {
        return ByteBuffer.allocate(4).putInt(value).array();
    }

    static byte[] longBytes(long value) {
        return ByteBuffer.allocate(8).putLong(value).array();
    }

    static byte[] utf8(String value) {
        return value == null ? null : value.getBytes(StandardCharsets.UTF_8);
    }
}
