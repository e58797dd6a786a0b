package dev.ladder.topology.internals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The delay queue over the timers store. Keys are the due time (8 bytes, big-endian, so RocksDB's
 * byte order is time order) followed by the event id; an event has at most one pending retry, so
 * the key is unique even when two events of the same message key are due at the same millisecond.
 *
 * <p>A timer queue deletes constantly, and a RocksDB iterator that seeks from the start walks over
 * every tombstone left by those deletes. So the queue never seeks from zero: it remembers the
 * lowest due time that can still hold a timer ({@link #scanFrom()}) and scans only
 * {@code [scanFrom, now]}. After a restore the position is re-derived from the first key, once.
 */
final class TimerQueue {

    /** A due retry taken from the queue. */
    record Timer(long dueTime, String eventId, byte[] envelope) {}

    private final KeyValueStore<Bytes, byte[]> store;
    private final boolean keepUntilCommitted;
    /** Taken timers still in the store (keep-until-committed mode), skipped by scans. */
    private final Map<Bytes, Long> taken = new HashMap<>();
    /** Taken timers whose outcome a commit has covered: deleted at the next {@link #release()}. */
    private final List<Bytes> committed = new ArrayList<>();

    private long scanFrom;
    private long visited;

    public TimerQueue(KeyValueStore<Bytes, byte[]> store) {
        this(store, false);
    }

    /**
     * @param keepUntilCommitted keep a taken timer in the store until a commit has covered its
     *     outcome (at-least-once: the changelog's delete must never reach Kafka without the record
     *     that replaces the timer, and without a transaction only a commit's flush orders them)
     */
    public TimerQueue(KeyValueStore<Bytes, byte[]> store, boolean keepUntilCommitted) {
        this.store = store;
        this.keepUntilCommitted = keepUntilCommitted;
        this.scanFrom = firstDue();
    }

    /**
     * Notes that a commit is about to cover the outcomes of every timer taken so far (the engine's
     * barrier has recorded them): they may be deleted once it is done.
     */
    public void committing() {
        committed.addAll(taken.keySet());
    }

    /** Deletes the timers a finished commit covered (keep-until-committed mode). */
    public void release() {
        for (Bytes key : committed) {
            if (taken.remove(key) != null) {
                store.delete(key);
            }
        }
        committed.clear();
    }

    /** Adds a retry due at {@code dueTime}; a time before the epoch counts as the epoch. */
    public void schedule(long dueTime, String eventId, byte[] envelope) {
        Bytes key = key(dueTime, eventId);
        // a new timer at a taken one's key replaces it: it must not be deleted as taken
        taken.remove(key);
        store.put(key, envelope);
        scanFrom = Math.min(scanFrom, Math.max(0, dueTime));
    }

    /** True when the event has a retry waiting here at {@code dueTime}. */
    public boolean contains(long dueTime, String eventId) {
        return store.get(key(dueTime, eventId)) != null;
    }

    /** Removes a retry, e.g. when the same event was rescheduled. */
    public void cancel(long dueTime, String eventId) {
        store.delete(key(dueTime, eventId));
    }

    /**
     * Takes up to {@code max} retries due at or before {@code now}, in due order, and deletes them
     * from the store.
     */
    public List<Timer> pollDue(long now, int max) {
        List<Timer> due = peekDue(now, max);
        if (now < scanFrom) {
            return due;
        }
        for (Timer timer : due) {
            take(timer);
        }
        // everything before the last taken due time is gone; when the batch was not full,
        // everything up to now is gone (a later schedule() before that lowers scanFrom again);
        // timers taken but kept stay in the range until deleted
        scanFrom = due.size() < max ? now + 1 : due.get(due.size() - 1).dueTime();
        for (long kept : taken.values()) {
            scanFrom = Math.min(scanFrom, Math.max(0, kept));
        }
        return due;
    }

    /**
     * Up to {@code max} retries due at or before {@code now}, in due order, without taking them:
     * they stay in the queue unless {@link #take taken} one by one.
     */
    public List<Timer> peekDue(long now, int max) {
        List<Timer> due = new ArrayList<>();
        if (now < scanFrom) {
            return due;
        }
        try (KeyValueIterator<Bytes, byte[]> it =
                store.range(Bytes.wrap(prefix(scanFrom)), Bytes.wrap(prefix(now + 1)))) {
            while (it.hasNext() && due.size() < max) {
                KeyValue<Bytes, byte[]> entry = it.next();
                visited++;
                if (taken.containsKey(entry.key)) {
                    continue;
                }
                byte[] key = entry.key.get();
                long dueTime = ByteBuffer.wrap(key, 0, 8).getLong();
                due.add(new Timer(dueTime, new String(key, 8, key.length - 8, StandardCharsets.UTF_8), entry.value));
            }
        }
        return due;
    }

    /** Takes one retry found by {@link #peekDue}, as {@link #pollDue} takes each of its batch. */
    public void take(Timer timer) {
        Bytes key = key(timer.dueTime(), timer.eventId());
        if (keepUntilCommitted) {
            taken.put(key, timer.dueTime());
        } else {
            store.delete(key);
        }
    }

    /** The lowest due time the next scan starts from. */
    public long scanFrom() {
        return scanFrom;
    }

    /** Entries visited by scans so far: the queue's work, for tests and metrics. */
    public long visited() {
        return visited;
    }

    /**
     * Counts the pending retries by what {@code group} says of each envelope (a full scan that
     * reads every value: call at init only).
     */
    public Map<Integer, Long> countBy(java.util.function.ToIntFunction<byte[]> group) {
        Map<Integer, Long> counts = new HashMap<>();
        try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
            while (it.hasNext()) {
                counts.merge(group.applyAsInt(it.next().value), 1L, Long::sum);
            }
        }
        return counts;
    }

    /** Counts the pending retries (a full scan: call at init only). */
    public long count() {
        long n = 0;
        try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }

    /**
     * The due time of the first timer not taken yet, {@link Long#MAX_VALUE} when there is none.
     * Skips only the taken timers still in the store (at-least-once, until the next commit).
     */
    long firstDue() {
        try (KeyValueIterator<Bytes, byte[]> it = store.all()) {
            while (it.hasNext()) {
                Bytes key = it.next().key;
                if (!taken.containsKey(key)) {
                    return ByteBuffer.wrap(key.get(), 0, 8).getLong();
                }
            }
            return Long.MAX_VALUE;
        }
    }

    static Bytes key(long dueTime, String eventId) {
        byte[] id = eventId.getBytes(StandardCharsets.UTF_8);
        // RocksDB compares keys as unsigned bytes: a negative due time (from a crafted tier record)
        // would sort after every real one and never fire. Before the epoch is simply overdue.
        return Bytes.wrap(ByteBuffer.allocate(8 + id.length)
                .putLong(Math.max(0, dueTime))
                .put(id)
                .array());
    }

    private static byte[] prefix(long dueTime) {
        return ByteBuffer.allocate(8).putLong(Math.max(0, dueTime)).array();
    }
}
