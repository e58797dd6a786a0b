package dev.ladder.app.dlt;

import static dev.ladder.kernel.LadderHeaders.CONNECT_ERRORS_PREFIX;
import static dev.ladder.kernel.LadderHeaders.STREAMS_ERRORS_PREFIX;

import dev.ladder.app.dlt.DeadLetter.ErrorEntry;
import dev.ladder.app.dlt.DeadLetter.Format;
import dev.ladder.avro.ErrorRecord;
import dev.ladder.avro.RetryEnvelope;
import dev.ladder.kernel.LadderHeaders;
import dev.ladder.serde.AvroCodec;
import dev.ladder.serde.AvroEnvelopeSerde;
import dev.ladder.serde.Envelopes;
import dev.ladder.serde.InvalidRecordException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;

/**
 * Turns any dead-letter record into a {@link DeadLetter}: Ladder's envelope, read with the envelope
 * serde the processor writes with ({@code topics.envelope-serde}; the default one's records are
 * recognised by the Avro single-object marker {@code C3 01}, and still read after a switch to
 * another serde), Spring Kafka's, Kafka Connect's and Kafka Streams' error headers, and anything
 * else as {@link Format#RAW}. Never throws on a record's content: what cannot be read is shown
 * raw, with the reason.
 */
public final class DeadLetterReader {

    /** Kafka Connect's error headers (its {@code DeadLetterQueueReporter}). */
    static final String CONNECT_TOPIC = CONNECT_ERRORS_PREFIX + "topic";

    static final String CONNECT_PARTITION = CONNECT_ERRORS_PREFIX + "partition";
    static final String CONNECT_OFFSET = CONNECT_ERRORS_PREFIX + "offset";
    static final String CONNECT_EXCEPTION = CONNECT_ERRORS_PREFIX + "exception.class.name";
    static final String CONNECT_MESSAGE = CONNECT_ERRORS_PREFIX + "exception.message";
    static final String CONNECT_STACKTRACE = CONNECT_ERRORS_PREFIX + "exception.stacktrace";

    /** Kafka Streams' error headers (its {@code ExceptionHandlerUtils}, Kafka 4.x). */
    static final String STREAMS_TOPIC = STREAMS_ERRORS_PREFIX + "topic";

    static final String STREAMS_PARTITION = STREAMS_ERRORS_PREFIX + "partition";
    static final String STREAMS_OFFSET = STREAMS_ERRORS_PREFIX + "offset";
    static final String STREAMS_EXCEPTION = STREAMS_ERRORS_PREFIX + "exception";
    static final String STREAMS_MESSAGE = STREAMS_ERRORS_PREFIX + "message";
    static final String STREAMS_STACKTRACE = STREAMS_ERRORS_PREFIX + "stacktrace";

    /** Kind of the error record of a tier record the processor could not read. */
    static final String INVALID_RECORD = "INVALID_RECORD";

    private static final String UNDECODABLE = "undecodable Ladder envelope: ";

    private final String eventIdHeader;
    private final Deserializer<RetryEnvelope> envelopes;
    private final boolean singleObject;

    /**
     * @param eventIdHeader header carrying event ids in the original records, or null for none
     * @param envelopes the envelope serde of the processor's topics ({@code topics.envelope-serde});
     *     the caller closes it
     */
    public DeadLetterReader(String eventIdHeader, Serde<RetryEnvelope> envelopes) {
        this.eventIdHeader = eventIdHeader;
        this.envelopes = envelopes.deserializer();
        // Ladder's own encoding says what it is; any other serde is asked about every value
        this.singleObject = envelopes instanceof AvroEnvelopeSerde;
    }

    /** Reads one dead-letter record. */
    public DeadLetter read(ConsumerRecord<byte[], byte[]> record) {
        byte[] value = record.value();
        if (mayBeEnvelope(value)) {
            try {
                return ladder(
                        record.topic(),
                        record.partition(),
                        record.offset(),
                        record.timestamp(),
                        decode(record.topic(), value));
            } catch (RuntimeException e) { // a pluggable serde may throw anything
                String reason = UNDECODABLE + e.getMessage();
                if (record.headers().lastHeader(LadderHeaders.EVENT_ID) != null) {
                    // Ladder wrote it (e.g. a newer version): its value is an envelope, not an event
                    String internal = "a Ladder envelope this version cannot read (" + e.getMessage() + ")";
                    return foreign(record, Format.RAW, null, null, null, reason, null, null, internal);
                }
                if (!hasForeignMarkers(record.headers())) {
                    return foreign(record, Format.RAW, null, null, null, reason, null, null, null);
                }
                // another tool's dead letter whose payload is Avro single-object encoded: read it as such
            }
        }
        Headers h = record.headers();
        if (h.lastHeader(LadderHeaders.DLT_ORIGINAL_TOPIC) != null
                || h.lastHeader(LadderHeaders.DLT_EXCEPTION_FQCN) != null) {
            return foreign(
                    record,
                    Format.SPRING,
                    HeaderValues.text(h, LadderHeaders.DLT_ORIGINAL_TOPIC),
                    HeaderValues.integer(h, LadderHeaders.DLT_ORIGINAL_PARTITION),
                    HeaderValues.number(h, LadderHeaders.DLT_ORIGINAL_OFFSET),
                    HeaderValues.text(h, LadderHeaders.DLT_EXCEPTION_FQCN),
                    HeaderValues.text(h, LadderHeaders.DLT_EXCEPTION_MESSAGE),
                    HeaderValues.text(h, LadderHeaders.DLT_EXCEPTION_STACKTRACE),
                    null);
        }
        if (hasPrefix(h, CONNECT_ERRORS_PREFIX)) {
            return foreign(
                    record,
                    Format.CONNECT,
                    HeaderValues.text(h, CONNECT_TOPIC),
                    HeaderValues.integer(h, CONNECT_PARTITION),
                    HeaderValues.number(h, CONNECT_OFFSET),
                    HeaderValues.text(h, CONNECT_EXCEPTION),
                    HeaderValues.text(h, CONNECT_MESSAGE),
                    HeaderValues.text(h, CONNECT_STACKTRACE),
                    null);
        }
        if (hasPrefix(h, STREAMS_ERRORS_PREFIX)) {
            return foreign(
                    record,
                    Format.STREAMS,
                    HeaderValues.text(h, STREAMS_TOPIC),
                    HeaderValues.integer(h, STREAMS_PARTITION),
                    HeaderValues.number(h, STREAMS_OFFSET),
                    HeaderValues.text(h, STREAMS_EXCEPTION),
                    HeaderValues.text(h, STREAMS_MESSAGE),
                    HeaderValues.text(h, STREAMS_STACKTRACE),
                    null);
        }
        return foreign(record, Format.RAW, null, null, null, null, null, null, null);
    }

    /**
     * The event a dead letter wraps when its value is itself a readable Ladder envelope: an
     * unreadable tier record (e.g. written by a newer version) whose envelope this version reads.
     * The result keeps the outer dead letter's place in the dead-letter topic.
     */
    public Optional<DeadLetter> wrapped(DeadLetter outer) {
        byte[] value = outer.value();
        if (outer.format() != Format.LADDER || value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(ladder(
                    outer.dltTopic(),
                    outer.dltPartition(),
                    outer.dltOffset(),
                    outer.dltTimestamp(),
                    // the value is the unreadable record as it was on its tier topic
                    decode(outer.originalTopic() != null ? outer.originalTopic() : outer.dltTopic(), value)));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private boolean mayBeEnvelope(byte[] value) {
        return singleObject ? isSingleObject(value) : value != null && value.length > 0;
    }

    private static boolean isSingleObject(byte[] value) {
        return value != null && value.length >= 10 && value[0] == (byte) 0xC3 && value[1] == (byte) 0x01;
    }

    /**
     * The envelope in {@code value}, read with the configured serde; a value in Ladder's own
     * encoding that another configured serde cannot read (a dead letter written before the switch)
     * is read in that encoding.
     */
    private RetryEnvelope decode(String topic, byte[] value) {
        try {
            RetryEnvelope envelope = envelopes.deserialize(topic, value);
            if (envelope == null) {
                throw new IllegalArgumentException("the envelope serde read no envelope");
            }
            return envelope;
        } catch (RuntimeException e) {
            if (singleObject || !isSingleObject(value)) {
                throw e;
            }
            try {
                return AvroCodec.ENVELOPE.decode(value);
            } catch (InvalidRecordException own) {
                e.addSuppressed(own);
                throw e;
            }
        }
    }

    /** True for headers written by a dead-lettering tool rather than by the original producer. */
    public static boolean isErrorHeader(String name) {
        return name.startsWith(LadderHeaders.PREFIX)
                || name.startsWith(LadderHeaders.SPRING_DLT_PREFIX)
                || name.equals(LadderHeaders.SPRING_RETRY_ATTEMPTS)
                || name.startsWith(CONNECT_ERRORS_PREFIX)
                || name.startsWith(STREAMS_ERRORS_PREFIX);
    }

    private static DeadLetter ladder(String topic, int partition, long offset, long timestamp, RetryEnvelope envelope) {
        List<ErrorEntry> errors = new ArrayList<>();
        for (ErrorRecord e : envelope.getErrors()) {
            errors.add(new ErrorEntry(
                    e.getTimestamp(),
                    e.getTopic(),
                    e.getTier(),
                    e.getAttempt(),
                    e.getKind(),
                    e.getExceptionClass(),
                    e.getMessage(),
                    e.getHttpStatus(),
                    e.getStackTrace()));
        }
        ErrorRecord last = Envelopes.lastError(envelope);
        List<Header> headers = Envelopes.originalHeaders(envelope);
        return new DeadLetter(
                Format.LADDER,
                topic,
                partition,
                offset,
                timestamp,
                Envelopes.bytes(envelope.getKey()),
                Envelopes.bytes(envelope.getValue()),
                headers,
                envelope.getEventId(),
                envelope.getOriginalTopic(),
                envelope.getOriginalPartition(),
                envelope.getOriginalOffset(),
                envelope.getAttempts(),
                envelope.getFirstAttemptTime(),
                envelope.getDeadLetterTime(),
                envelope.getDeadLetterReason(),
                last == null ? null : last.getExceptionClass() != null ? last.getExceptionClass() : last.getKind(),
                last == null ? null : last.getMessage(),
                last == null ? null : last.getHttpStatus(),
                errors,
                envelope.getErrorsElided(),
                internal(
                        headers, envelope.getOriginalTopic(), errors.isEmpty() ? null : errors.get(errors.size() - 1)));
    }

    private DeadLetter foreign(
            ConsumerRecord<byte[], byte[]> record,
            Format format,
            String topic,
            Integer partition,
            Long offset,
            String exception,
            String message,
            String stackTrace,
            String internal) {
        List<Header> original = new ArrayList<>();
        for (Header h : record.headers()) {
            if (!isErrorHeader(h.key())) {
                original.add(h);
            }
        }
        Integer attempts = HeaderValues.integer(record.headers(), LadderHeaders.SPRING_RETRY_ATTEMPTS);
        List<ErrorEntry> errors = format == Format.RAW || exception == null && message == null
                ? List.of()
                : List.of(new ErrorEntry(
                        record.timestamp(),
                        topic,
                        0,
                        attempts == null ? 0 : attempts,
                        "DEAD_LETTER",
                        exception,
                        message,
                        null,
                        stackTrace));
        String reason = format == Format.RAW ? exception : exception == null ? message : exception + ": " + message;
        return new DeadLetter(
                format,
                record.topic(),
                record.partition(),
                record.offset(),
                record.timestamp(),
                record.key(),
                record.value(),
                original,
                eventId(record, topic, partition, offset),
                topic,
                partition,
                offset,
                attempts,
                null,
                null,
                reason,
                format == Format.RAW ? null : exception,
                message,
                null,
                errors,
                0,
                internal != null ? internal : internal(List.of(record.headers().toArray()), record.topic(), null));
    }

    private String eventId(ConsumerRecord<byte[], byte[]> record, String topic, Integer partition, Long offset) {
        if (eventIdHeader != null) {
            Header h = record.headers().lastHeader(eventIdHeader);
            if (h != null && h.value() != null && h.value().length > 0) {
                return new String(h.value(), StandardCharsets.UTF_8);
            }
        }
        if (topic != null && partition != null && offset != null) {
            return topic + "-" + partition + "@" + offset;
        }
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    private static boolean hasForeignMarkers(Headers h) {
        return h.lastHeader(LadderHeaders.DLT_ORIGINAL_TOPIC) != null
                || h.lastHeader(LadderHeaders.DLT_EXCEPTION_FQCN) != null
                || hasPrefix(h, CONNECT_ERRORS_PREFIX)
                || hasPrefix(h, STREAMS_ERRORS_PREFIX);
    }

    /** Why a record is Ladder's own rather than an event, from its headers and history; or null. */
    private static String internal(List<Header> headers, String topic, ErrorEntry last) {
        for (Header h : headers) {
            if (h.key().equals(LadderHeaders.CONTROL)) {
                return "a control record (" + LadderHeaders.CONTROL + ": "
                        + (h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8)) + ")";
            }
        }
        if (last != null && INVALID_RECORD.equals(last.kind())) {
            return "an unreadable record of " + topic + " (" + last.message() + ")";
        }
        return null;
    }

    private static boolean hasPrefix(Headers headers, String prefix) {
        for (Header h : headers) {
            if (h.key().startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
