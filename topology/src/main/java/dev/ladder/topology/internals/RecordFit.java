package dev.ladder.topology.internals;

import dev.ladder.avro.ErrorRecord;
import dev.ladder.avro.RetryEnvelope;
import dev.ladder.serde.Envelopes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serde;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every tier and dead-letter record within {@code topics.max-message-bytes}. A record the
 * producer or broker refuses as too large fails the stream thread, and every instance that takes
 * the task over fails on it in turn; so a record is measured before it is sent, and shrunk:
 *
 * <ol>
 *   <li>the error history is cut to its last record (the rest counted in {@code errorsElided});
 *   <li>stack traces are dropped and messages cut to {@value #SHORT_MESSAGE} characters;
 *   <li>the record's Kafka headers lose their copy of the original headers (the envelope keeps
 *       them);
 *   <li>a dead letter that still does not fit leaves out the original value, headers and
 *       checkpoint, and says so: the original stays in the main topic at the coordinates the dead
 *       letter carries (topic, partition, offset). A tier record that does not fit is not sent at
 *       all: the event is dead-lettered instead ({@link #tooLargeForTier}).
 * </ol>
 */
final class RecordFit {

    private static final Logger log = LoggerFactory.getLogger(RecordFit.class);

    /** Kind of the error record a dead letter gets when its original is left out. */
    static final String TOO_LARGE = "RECORD_TOO_LARGE";

    private static final int SHORT_MESSAGE = 200;
    /** Record batch header (61 bytes) plus a record's own framing, generously. */
    private static final int RECORD_OVERHEAD = 61 + 32;

    /** The bytes to send and the headers to send them with. */
    record Fitted(byte[] value, Headers headers) {}

    private final int maxBytes;
    private final Serde<RetryEnvelope> serde;

    RecordFit(int maxBytes, Serde<RetryEnvelope> serde) {
        this.maxBytes = maxBytes;
        this.serde = serde;
    }

    /** The tier record of the envelope, shrunk to fit; null when even the shrunk one is too large. */
    Fitted forRetry(RetryEnvelope envelope, String topic) {
        return fit(envelope, topic, OutboundHeaders::forRetry, false);
    }

    /** The dead letter of the envelope, shrunk to fit; as a last resort without its original. */
    Fitted forDeadLetter(RetryEnvelope envelope, String topic) {
        return fit(envelope, topic, OutboundHeaders::forDeadLetter, true);
    }

    /** The dead-letter reason of an event whose tier record could not be made to fit. */
    String tooLargeForTier(RetryEnvelope envelope, String topic) {
        return "record too large for " + topic + ": its retry envelope exceeds topics.max-message-bytes ("
                + maxBytes + " bytes) even with its error history cut; original value "
                + length(Envelopes.bytes(envelope.getValue())) + " bytes";
    }

    private Fitted fit(
            RetryEnvelope envelope, String topic, Function<RetryEnvelope, Headers> headersOf, boolean deadLetter) {
        Fitted fitted = measure(envelope, topic, headersOf.apply(envelope));
        if (fitted != null) {
            return fitted;
        }
        keepLastError(envelope);
        fitted = measure(envelope, topic, headersOf.apply(envelope));
        if (fitted != null) {
            return fitted;
        }
        shortenErrors(envelope);
        fitted = measure(envelope, topic, headersOf.apply(envelope));
        if (fitted != null) {
            return fitted;
        }
        Headers own = withoutOriginalHeaders(headersOf.apply(envelope), envelope);
        fitted = measure(envelope, topic, own);
        if (fitted != null || !deadLetter) {
            return fitted;
        }
        leaveOutOriginal(envelope, topic);
        return new Fitted(
                serde.serializer().serialize(topic, envelope),
                withoutOriginalHeaders(headersOf.apply(envelope), envelope));
    }

    /** The record when it fits, else null. */
    private Fitted measure(RetryEnvelope envelope, String topic, Headers headers) {
        byte[] value = serde.serializer().serialize(topic, envelope);
        long size = RECORD_OVERHEAD + length(Envelopes.bytes(envelope.getKey())) + length(value) + size(headers);
        return size <= maxBytes ? new Fitted(value, headers) : null;
    }

    private static void keepLastError(RetryEnvelope envelope) {
        List<ErrorRecord> errors = envelope.getErrors();
        if (errors.size() > 1) {
            envelope.setErrorsElided(envelope.getErrorsElided() + errors.size() - 1);
            envelope.setErrors(new ArrayList<>(List.of(errors.get(errors.size() - 1))));
        }
    }

    private static void shortenErrors(RetryEnvelope envelope) {
        for (ErrorRecord e : envelope.getErrors()) {
            e.setStackTrace(null);
            e.setMessage(EnvelopeFactory.truncate(e.getMessage(), SHORT_MESSAGE));
        }
        envelope.setDeadLetterReason(EnvelopeFactory.truncate(envelope.getDeadLetterReason(), 2 * SHORT_MESSAGE));
    }

    /** Ladder's own headers only: the original ones come first and are kept in the envelope. */
    private static Headers withoutOriginalHeaders(Headers headers, RetryEnvelope envelope) {
        Header[] all = headers.toArray();
        int originals = envelope.getHeaders().size();
        RecordHeaders own = new RecordHeaders();
        for (int i = Math.min(originals, all.length); i < all.length; i++) {
            own.add(all[i]);
        }
        return own;
    }

    private void leaveOutOriginal(RetryEnvelope envelope, String topic) {
        String where = envelope.getOriginalTopic() + "-" + envelope.getOriginalPartition() + "@"
                + envelope.getOriginalOffset();
        String what = "record too large for " + topic + " (topics.max-message-bytes " + maxBytes
                + "): the original value (" + length(Envelopes.bytes(envelope.getValue())) + " bytes) and "
                + envelope.getHeaders().size() + " headers are left out; they stay in " + where;
        log.warn("event {}: {}", dev.ladder.kernel.LogSafe.text(envelope.getEventId()), what);
        // the key stays: it is the record's key, and the main topic's limit bounded it already
        envelope.setValue(null);
        envelope.setHeaders(new ArrayList<>());
        envelope.setCheckpoint(null);
        List<ErrorRecord> errors = new ArrayList<>(envelope.getErrors());
        errors.add(ErrorRecord.newBuilder()
                .setTimestamp(envelope.getDeadLetterTime() == null ? 0L : envelope.getDeadLetterTime())
                .setTopic(topic)
                .setTier(envelope.getTier())
                .setAttempt(envelope.getAttempts())
                .setKind(TOO_LARGE)
                .setMessage(what)
                .build());
        envelope.setErrors(errors);
        envelope.setDeadLetterReason(
                EnvelopeFactory.truncate(envelope.getDeadLetterReason(), 2 * SHORT_MESSAGE) + "; " + what);
    }

    private static long size(Headers headers) {
        long size = 8;
        for (Header h : headers) {
            size += 10 + h.key().getBytes(StandardCharsets.UTF_8).length + length(h.value());
        }
        return size;
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }
}
