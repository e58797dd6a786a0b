package dev.ladder.app.dlt;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.header.Header;

/**
 * One dead letter, whatever wrote it: the original record (key, value, headers as they were), where
 * it came from, why it died, and where it sits in the dead-letter topic. Fields a format does not
 * carry are null.
 *
 * @param format who wrote it
 * @param dltTopic the dead-letter topic
 * @param dltPartition partition in the dead-letter topic
 * @param dltOffset offset in the dead-letter topic
 * @param dltTimestamp timestamp of the dead-letter record, epoch milliseconds
 * @param key original key bytes
 * @param value original value bytes
 * @param headers original headers, without the writer's error headers
 * @param eventId the event id: Ladder's, else the id header, else the original (or DLT) coordinates
 * @param originalTopic topic the event was first read from
 * @param originalPartition partition the event was first read from
 * @param originalOffset offset the event was first read at
 * @param attempts attempts made, when known
 * @param firstAttemptTime first attempt, epoch milliseconds, when known
 * @param deadLetterTime when it was dead-lettered, epoch milliseconds, when known
 * @param reason why it was dead-lettered
 * @param exceptionClass class of the exception that killed it
 * @param exceptionMessage its message
 * @param httpStatus HTTP status of the last attempt, when the handler was an HTTP delivery
 * @param errors the error history, oldest first (Ladder only; one entry for the others)
 * @param errorsElided error records dropped from the middle of the history
 * @param internal why this record is Ladder's own rather than a business event (a control record,
 *     an unreadable tier record, an envelope this version cannot read), or null for an event; a
 *     replay never sends such a record's bytes as an event (see {@link ReplayRecords})
 */
public record DeadLetter(
        Format format,
        String dltTopic,
        int dltPartition,
        long dltOffset,
        long dltTimestamp,
        byte[] key,
        byte[] value,
        List<Header> headers,
        String eventId,
        String originalTopic,
        Integer originalPartition,
        Long originalOffset,
        Integer attempts,
        Long firstAttemptTime,
        Long deadLetterTime,
        String reason,
        String exceptionClass,
        String exceptionMessage,
        Integer httpStatus,
        List<ErrorEntry> errors,
        int errorsElided,
        String internal) {

    /** Who wrote a dead letter. */
    public enum Format {
        /** Ladder's Avro envelope. */
        LADDER,
        /** Spring Kafka's {@code DeadLetterPublishingRecoverer}: original payload + {@code kafka_dlt-*} headers. */
        SPRING,
        /** Kafka Connect's dead-letter queue: original payload + {@code __connect.errors.*} headers. */
        CONNECT,
        /** Kafka Streams' dead-letter queue (KIP-1034): original payload + {@code __streams.errors.*} headers. */
        STREAMS,
        /** Anything else: listed and replayable as it is. */
        RAW
    }

    /** One failed attempt. */
    public record ErrorEntry(
            long timestamp,
            String topic,
            int tier,
            int attempt,
            String kind,
            String exceptionClass,
            String message,
            Integer httpStatus,
            String stackTrace) {}

    public DeadLetter {
        headers = List.copyOf(headers);
        errors = List.copyOf(errors);
    }

    /** {@code partition@offset} in the dead-letter topic. */
    public String coordinates() {
        return dltPartition + "@" + dltOffset;
    }

    /** When it died: the dead-letter time when known, else the DLT record's timestamp. */
    public Instant time() {
        return Instant.ofEpochMilli(deadLetterTime != null ? deadLetterTime : dltTimestamp);
    }

    /** Time spent in retry: dead-letter time minus first attempt, when both are known. */
    public Optional<Duration> retryTime() {
        if (firstAttemptTime == null || deadLetterTime == null) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofMillis(Math.max(0, deadLetterTime - firstAttemptTime)));
    }

    /** The key as text: UTF-8 when it is valid UTF-8, else {@code base64:...}; null for a null key. */
    public String keyText() {
        return text(key);
    }

    /** Bytes as UTF-8 text when they are valid UTF-8, else {@code base64:} and their Base64. */
    public static String text(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        return utf8(bytes).orElseGet(() -> "base64:" + Base64.getEncoder().encodeToString(bytes));
    }

    /** The bytes decoded as strict UTF-8, or empty when they are not valid UTF-8. */
    public static Optional<String> utf8(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
