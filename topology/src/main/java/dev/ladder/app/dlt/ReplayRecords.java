package dev.ladder.app.dlt;

import dev.ladder.topology.LadderHeaders;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The record a replay sends for a dead letter: the original key, value and headers (without the
 * error headers Ladder, Spring, Connect or Streams added), a fresh event (no attempts), and a
 * deterministic event id so that replaying the same dead letter twice is dropped as a duplicate by
 * the processor within its idempotency retention.
 */
public final class ReplayRecords {

    private ReplayRecords() {}

    /** The replay's event id: {@code <eventId>~replay-<dltPartition>-<dltOffset>}. */
    public static String replayId(DeadLetter d) {
        return d.eventId() + "~replay-" + d.dltPartition() + "-" + d.dltOffset();
    }

    /**
     * The record to send.
     *
     * <p>It goes to the dead letter's original partition when the target is its original topic (so a
     * key stays on its partition whatever partitioner the original producer used), otherwise to the
     * partition the default partitioner picks for the key. The timestamp is left to the producer
     * (now): a replay is a new event, and an old timestamp could put it behind the topic's
     * time-based retention.
     *
     * @param target topic to send to
     * @param targetPartitions partition count of the target
     * @param eventIdHeader header the processor reads event ids from
     */
    public static ProducerRecord<byte[], byte[]> toRecord(
            DeadLetter d, String target, int targetPartitions, String eventIdHeader) {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : d.headers()) {
            if (!DeadLetterReader.isErrorHeader(h.key()) && !h.key().equals(eventIdHeader)) {
                headers.add(h.key(), h.value());
            }
        }
        headers.add(eventIdHeader, replayId(d).getBytes(StandardCharsets.UTF_8));
        headers.add(LadderHeaders.REPLAY, (d.dltTopic() + "-" + d.coordinates()).getBytes(StandardCharsets.UTF_8));
        Integer partition = target.equals(d.originalTopic())
                        && d.originalPartition() != null
                        && d.originalPartition() >= 0
                        && d.originalPartition() < targetPartitions
                ? d.originalPartition()
                : null;
        return new ProducerRecord<>(target, partition, null, d.key(), d.value(), headers);
    }
}
