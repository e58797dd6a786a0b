package dev.ladder.retry;

import dev.ladder.avro.EventStatus;
import dev.ladder.serde.AvroCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Where every event is: the events store (id → status) and its time-ordered expiry index.
 *
 * <p>Finished events (succeeded, dropped, dead-lettered) are remembered for the retention period,
 * so a duplicate arriving within it is dropped. They are forgotten through the expiry index,
 * keyed by expiry time, which is scanned from the last expired position like the timer queue:
 * never a full scan of the events store.
 */
final class EventLedger {

    /** Event statuses, as stored. */
    public enum Status {
        IN_PROGRESS,
        PARKED,
        RETRYING,
        DEFERRED,
        SUCCEEDED,
        DROPPED,
        DEAD_LETTERED;

        /** True for statuses of events that will not run again. */
        public boolean finished() {
            return this == SUCCEEDED || this == DROPPED || this == DEAD_LETTERED;
        }
    }

    private static final Set<String> FINISHED = Set.of("SUCCEEDED", "DROPPED", "DEAD_LETTERED");
    private static final byte[] EMPTY = new byte[0];

    private final KeyValueStore<Bytes, byte[]> events;
    private final KeyValueStore<Bytes, byte[]> expiry;
    private final java.util.function.Supplier<Duration> retention;
    private final boolean keepUntilCommitted;
    /** Statuses not yet written (keep-until-committed mode), newest per event; reads see them. */
    private final Map<String, EventStatus> pending = new LinkedHashMap<>();
    /** Statuses whose records a commit covered: written at the next {@link #releaseCommitted()}. */
    private final Map<String, EventStatus> committed = new LinkedHashMap<>();

    private long expireFrom;

    /**
     * @param retention how long finished ids are remembered; read at each use, so a live change
     *     applies to ids finished from then on
     */
    public EventLedger(
            KeyValueStore<Bytes, byte[]> events,
            KeyValueStore<Bytes, byte[]> expiry,
            java.util.function.Supplier<Duration> retention) {
        this(events, expiry, retention, false);
    }

    /**
     * @param keepUntilCommitted write statuses only after the commit that flushed the records they
     *     describe (at-least-once: without a transaction a status could otherwise reach Kafka
     *     without its event's output or retry record, and the restarted app would drop the event
     *     as a duplicate); reads see the statuses not yet written
     */
    EventLedger(
            KeyValueStore<Bytes, byte[]> events,
            KeyValueStore<Bytes, byte[]> expiry,
            java.util.function.Supplier<Duration> retention,
            boolean keepUntilCommitted) {
        this.keepUntilCommitted = keepUntilCommitted;
        this.events = events;
        this.expiry = expiry;
        this.retention = retention;
        try (KeyValueIterator<Bytes, byte[]> it = expiry.all()) {
            this.expireFrom =
                    it.hasNext() ? ByteBuffer.wrap(it.next().key.get(), 0, 8).getLong() : Long.MAX_VALUE;
        }
    }

    /** The status of an event, or null when it is unknown (never seen, or expired). */
    public EventStatus get(String eventId) {
        EventStatus unwritten = pending.get(eventId);
        if (unwritten != null) {
            return unwritten;
        }
        EventStatus covered = committed.get(eventId);
        if (covered != null) {
            return covered;
        }
        byte[] bytes = events.get(idKey(eventId));
        return bytes == null ? null : AvroCodec.EVENT_STATUS.decode(bytes);
    }

    /** Writes an event's status; a finished status also gets an expiry entry. */
    public void put(EventStatus status) {
        if (keepUntilCommitted) {
            pending.remove(status.getEventId());
            pending.put(status.getEventId(), status);
            return;
        }
        write(status);
    }

    /** Notes that a commit is about to flush the records every pending status describes. */
    void committing() {
        committed.putAll(pending);
        pending.clear();
    }

    /** Writes the statuses a finished commit covered. */
    void releaseCommitted() {
        for (EventStatus status : committed.values()) {
            write(status);
        }
        committed.clear();
    }

    private void write(EventStatus status) {
        events.put(idKey(status.getEventId()), AvroCodec.EVENT_STATUS.encode(status));
        if (FINISHED.contains(status.getStatus())) {
            long expiresAt = status.getUpdatedTime() + retention.get().toMillis();
            expiry.put(expiryKey(expiresAt, status.getEventId()), EMPTY);
            if (expiresAt < expireFrom) {
                expireFrom = expiresAt;
            }
        }
    }

    /**
     * Forgets finished events whose retention ran out by {@code now}, in steps of {@code step}
     * expiry entries, until none is left or {@code deadlineNanos} passes: expiry keeps up with any
     * finish rate (one step per punctuation would cap it at {@code step} ids per interval).
     *
     * @return how many were forgotten
     */
    public int expire(long now, int step, long deadlineNanos) {
        int forgotten = 0;
        int[] visited = new int[1];
        do {
            forgotten += expireStep(now, step, visited);
        } while (visited[0] == step && System.nanoTime() < deadlineNanos);
        return forgotten;
    }

    /**
     * One step of {@link #expire(long, int, long)}.
     *
     * @return how many were forgotten
     */
    public int expire(long now, int max) {
        return expireStep(now, max, new int[1]);
    }

    private int expireStep(long now, int max, int[] visited) {
        visited[0] = 0;
        if (now < expireFrom) {
            return 0;
        }
        List<Bytes> due = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it =
                expiry.range(Bytes.wrap(prefix(expireFrom)), Bytes.wrap(prefix(now + 1)))) {
            while (it.hasNext() && due.size() < max) {
                due.add(it.next().key);
            }
        }
        visited[0] = due.size();
        int forgotten = 0;
        for (Bytes key : due) {
            expiry.delete(key);
            byte[] raw = key.get();
            String id = new String(raw, 8, raw.length - 8, StandardCharsets.UTF_8);
            EventStatus status = get(id);
            // the id may have been seen again since (a replay): only forget what really expired
            if (status != null
                    && FINISHED.contains(status.getStatus())
                    && status.getUpdatedTime() + retention.get().toMillis() <= now) {
                events.delete(idKey(id));
                forgotten++;
            }
        }
        expireFrom = due.size() < max
                ? now + 1
                : ByteBuffer.wrap(due.get(due.size() - 1).get(), 0, 8).getLong();
        return forgotten;
    }

    private static Bytes idKey(String eventId) {
        return Bytes.wrap(eventId.getBytes(StandardCharsets.UTF_8));
    }

    private static Bytes expiryKey(long expiresAt, String eventId) {
        byte[] id = eventId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(
                ByteBuffer.allocate(8 + id.length).putLong(expiresAt).put(id).array());
    }

    private static byte[] prefix(long time) {
        return ByteBuffer.allocate(8).putLong(Math.max(0, time)).array();
    }
}
