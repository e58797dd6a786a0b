package dev.ladder.handler;

import java.util.List;
import org.apache.kafka.common.header.Headers;

/**
 * One attempt's view of an event: the original record, untouched, and what happened to it before.
 *
 * @param eventId stable id of the event across all attempts (send it as an idempotency key)
 * @param key original key bytes, or null
 * @param value original value bytes, or null
 * @param headers original headers (a read-only copy)
 * @param originalTopic topic the event was first read from
 * @param originalPartition partition it was first read from
 * @param originalOffset offset it was first read at
 * @param originalTimestamp timestamp of the original record, epoch milliseconds
 * @param attempt this attempt's number over the whole ladder, starting at 1
 * @param tier tier of this attempt: 0 for the main topic, 1 for the first retry tier, and so on
 * @param history earlier failures, oldest first (bounded: the middle of a long history is elided)
 * @param checkpoint the stage checkpoint: what the last attempt saved, and where to save this one's
 */
public record Event(
        String eventId,
        byte[] key,
        byte[] value,
        Headers headers,
        String originalTopic,
        int originalPartition,
        long originalOffset,
        long originalTimestamp,
        int attempt,
        int tier,
        List<PastFailure> history,
        Checkpoint checkpoint) {

    public Event {
        history = List.copyOf(history);
        checkpoint = checkpoint == null ? Checkpoint.none() : checkpoint;
    }

    /** An event without a previous checkpoint. */
    public Event(
            String eventId,
            byte[] key,
            byte[] value,
            Headers headers,
            String originalTopic,
            int originalPartition,
            long originalOffset,
            long originalTimestamp,
            int attempt,
            int tier,
            List<PastFailure> history) {
        this(
                eventId,
                key,
                value,
                headers,
                originalTopic,
                originalPartition,
                originalOffset,
                originalTimestamp,
                attempt,
                tier,
                history,
                Checkpoint.none());
    }

    /**
     * One earlier failed attempt.
     *
     * @param timestamp when it failed, epoch milliseconds
     * @param tier tier of that attempt
     * @param attempt attempt number
     * @param kind TRANSIENT, PERMANENT, TIMEOUT or INVALID_RECORD
     * @param exceptionClass exception class name, or null
     * @param message failure message, or null
     * @param httpStatus HTTP status, or null
     */
    public record PastFailure(
            long timestamp,
            int tier,
            int attempt,
            String kind,
            String exceptionClass,
            String message,
            Integer httpStatus) {}
}
