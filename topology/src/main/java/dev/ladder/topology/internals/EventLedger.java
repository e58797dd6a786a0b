package dev.ladder.topology.internals;

import dev.ladder.avro.EventStatus;
import dev.ladder.policy.Millis;
import dev.ladder.serde.AvroCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Where every event is: the events store (id → status) for events that will run again, and the
 * finished store for those that will not (succeeded, dropped, dead-lettered).
 *
 * <p>Finished events are remembered for the retention period, so a duplicate arriving within it is
 * dropped. The finished store is a window store keyed by id at the finish time: Kafka Streams
 * drops its old segments by retention, so forgetting costs no write, and an event that succeeds at
 * its first attempt costs one changelogged write (its finished entry) besides its output record.
 * A lookup reads only the entries within the retention in force, so a shorter retention applies at
 * once; a longer one than the store was built with needs a restart (see {@code LiveSettings}).
 *
 * <p>Finished statuses written by Ladder versions before the finished store live in the events
 * store with an entry in the time-ordered expiry index; they are still read, and forgotten through
 * the index, scanned from the last expired position like the timer queue.
 */
final class EventLedger {

    /** Event statuses, as stored. */
    enum Status {
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

    private final KeyValueStore<Bytes, byte[]> events;
    private final WindowStore<Bytes, byte[]> finished;
    private final KeyValueStore<Bytes, byte[]> expiry;
    private final java.util.function.Supplier<Duration> retention;
    private final LongSupplier clock;
    private final boolean keepUntilCommitted;
    /** Statuses not yet written (keep-until-committed mode), newest per event; reads see them. */
    private final Map<String, EventStatus> pending = new LinkedHashMap<>();
    /** Statuses whose records a commit covered: written at the next {@link #releaseCommitted()}. */
    private final Map<String, EventStatus> committed = new LinkedHashMap<>();

    private long expireFrom;

    /**
     * @param finished the finished store, built by {@link RetryStores} with the retention in force
     *     when the topology was built
     * @param retention how long finished ids are remembered; read at each use, so a shorter one
     *     applies at once (a longer one than the finished store keeps cannot)
     * @param clock the task's clock: a lookup sees the ids finished within the retention before it
     */
    EventLedger(
            KeyValueStore<Bytes, byte[]> events,
            WindowStore<Bytes, byte[]> finished,
            KeyValueStore<Bytes, byte[]> expiry,
            java.util.function.Supplier<Duration> retention,
            LongSupplier clock) {
        this(events, finished, expiry, retention, clock, false);
    }

    /**
     * @param keepUntilCommitted write statuses only after the commit that flushed the records they
     *     describe (at-least-once: without a transaction a status could otherwise reach Kafka
     *     without its event's output or retry record, and the restarted app would drop the event
     *     as a duplicate); reads see the statuses not yet written
     */
    EventLedger(
            KeyValueStore<Bytes, byte[]> events,
            WindowStore<Bytes, byte[]> finished,
            KeyValueStore<Bytes, byte[]> expiry,
            java.util.function.Supplier<Duration> retention,
            LongSupplier clock,
            boolean keepUntilCommitted) {
        this.keepUntilCommitted = keepUntilCommitted;
        this.events = events;
        this.finished = finished;
        this.expiry = expiry;
        this.retention = retention;
        this.clock = clock;
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
        Bytes id = idKey(eventId);
        byte[] bytes = events.get(id);
        if (bytes != null) {
            return AvroCodec.EVENT_STATUS.decode(bytes);
        }
        long since = Math.max(0, Millis.add(clock.getAsLong(), -retention.get().toMillis()));
        try (WindowStoreIterator<byte[]> it = finished.backwardFetch(id, since, Long.MAX_VALUE)) {
            return it.hasNext() ? AvroCodec.EVENT_STATUS.decode(it.next().value) : null;
        }
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
        Bytes id = idKey(status.getEventId());
        byte[] bytes = AvroCodec.EVENT_STATUS.encode(status);
        if (!FINISHED.contains(status.getStatus())) {
            events.put(id, bytes);
            return;
        }
        finished.put(id, bytes, status.getUpdatedTime());
        // only an event that waited has an entry here: one that succeeds at once costs no delete
        if (events.get(id) != null) {
            events.delete(id);
        }
    }

    /**
     * Forgets finished events of earlier Ladder versions (in the events store, with an expiry
     * index entry) whose retention ran out by {@code now}, in steps of {@code step}
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

    private static byte[] prefix(long time) {
        return ByteBuffer.allocate(8).putLong(Math.max(0, time)).array();
    }
}
