package dev.ladder.app.dlt;

import dev.ladder.kernel.LadderHeaders;
import dev.ladder.policy.LadderSettings;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Utils;

/**
 * What a replay does with a dead letter: send the original key, value and headers (without the
 * error headers Ladder, Spring, Connect or Streams added) as a fresh event (no attempts) with a
 * deterministic event id, so that replaying the same dead letter twice is dropped as a duplicate by
 * the processor within its idempotency retention; or skip it, with the reason, when it is one of
 * Ladder's own records rather than an event.
 */
public final class ReplayRecords {

    /**
     * Where a replay sends to.
     *
     * @param topic topic to send to
     * @param partitions partition count of the topic
     * @param eventIdHeader header the processor reads event ids from
     * @param coPartitioned topics whose partition of a key is the key's partition in {@code topic}
     *     (for the main topic: its tier, dead-letter and output topics, which Ladder writes on the
     *     partition of the original record); {@code topic} itself is always one
     */
    public record Target(String topic, int partitions, String eventIdHeader, Set<String> coPartitioned) {
        public Target {
            coPartitioned = Set.copyOf(coPartitioned);
        }

        /** A target that shares its partitioning with no other topic. */
        public static Target of(String topic, int partitions, String eventIdHeader) {
            return new Target(topic, partitions, eventIdHeader, Set.of(topic));
        }

        /**
         * The target {@code topic} of a ladder: when it is the main topic, the ladder's tier,
         * dead-letter and output topics hold a key on its main partition too.
         */
        public static Target of(LadderSettings settings, String topic, int partitions, String eventIdHeader) {
            Set<String> coPartitioned = new HashSet<>(Set.of(topic));
            if (topic.equals(settings.topics().main())) {
                coPartitioned.addAll(settings.topics().sources());
                coPartitioned.addAll(settings.topics().sinks());
            }
            return new Target(topic, partitions, eventIdHeader, coPartitioned);
        }
    }

    /** What to do with one dead letter. */
    public sealed interface Replay {
        /** Send this record; {@code event} is the dead letter it replays (the wrapped one, if any). */
        record Send(ProducerRecord<byte[], byte[]> record, DeadLetter event) implements Replay {}

        /** Send nothing: the dead letter is Ladder's own record, not an event. */
        record Skip(String reason) implements Replay {}
    }

    private ReplayRecords() {}

    /** The replay's event id: {@code <eventId>~replay-<dltPartition>-<dltOffset>}. */
    public static String replayId(DeadLetter d) {
        return d.eventId() + "~replay-" + d.dltPartition() + "-" + d.dltOffset();
    }

    /**
     * The replay of a dead letter. A dead letter that is Ladder's own record (a control record, a
     * tier record the processor could not read) is skipped, unless its value is an envelope this
     * version can read: then the event that envelope wraps is replayed instead, never the
     * envelope's bytes.
     *
     * @param reader the reader of the dead-letter topic, whose envelope serde reads a wrapped record
     */
    public static Replay plan(DeadLetter d, Target target, DeadLetterReader reader) {
        if (d.internal() == null) {
            return new Replay.Send(toRecord(d, target), d);
        }
        Optional<DeadLetter> wrapped = reader.wrapped(d).filter(w -> w.internal() == null);
        if (wrapped.isPresent()) {
            return new Replay.Send(toRecord(wrapped.get(), target), wrapped.get());
        }
        return new Replay.Skip(d.internal());
    }

    /**
     * The record to send for an event's dead letter.
     *
     * <p>It goes to the partition of the original key: the dead letter's original partition when it
     * was first read from the target or a topic partitioned like it (so a key stays on its partition
     * whatever partitioner the original producer used), otherwise the partition Kafka's default
     * partitioner gives the key (murmur2, whatever partitioner the replay's producer is configured
     * with); a null key goes anywhere. The timestamp is left to the producer (now): a replay is a
     * new event, and an old timestamp could put it behind the topic's time-based retention.
     */
    static ProducerRecord<byte[], byte[]> toRecord(DeadLetter d, Target target) {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : d.headers()) {
            if (!DeadLetterReader.isErrorHeader(h.key()) && !h.key().equals(target.eventIdHeader())) {
                headers.add(h.key(), h.value());
            }
        }
        headers.add(target.eventIdHeader(), replayId(d).getBytes(StandardCharsets.UTF_8));
        headers.add(LadderHeaders.REPLAY, (d.dltTopic() + "-" + d.coordinates()).getBytes(StandardCharsets.UTF_8));
        return new ProducerRecord<>(target.topic(), partition(d, target), null, d.key(), d.value(), headers);
    }

    private static Integer partition(DeadLetter d, Target target) {
        Integer original = d.originalPartition();
        // a raw dead letter knows no original topic (and an immutable set refuses to look up null)
        String from = d.originalTopic();
        if (from != null
                && (target.topic().equals(from) || target.coPartitioned().contains(from))
                && original != null
                && original >= 0
                && original < target.partitions()) {
            return original;
        }
        return d.key() == null ? null : Utils.toPositive(Utils.murmur2(d.key())) % target.partitions();
    }
}
