package dev.ladder.topology.internals;

import dev.ladder.avro.KeyState;
import dev.ladder.kernel.LadderMetrics;
import dev.ladder.serde.AvroCodec;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Per-key ordering over the key-state and parked stores. While a key has a head (an event in
 * retry) or is held, its later events are parked in arrival order and released one by one when
 * the key is free again.
 *
 * <p>Parked keys are {@code key length (4 bytes) + key + sequence (8 bytes, big-endian)}: the
 * length prefix keeps key {@code ab} from sorting among the followers of key {@code a}, and the
 * sequence keeps arrival order.
 *
 * <p>It keeps the task's {@code ladder_parked_events} and {@code ladder_blocked_keys} counts too,
 * where their state changes: set by the {@link #census()} at init, moved by every park, take, hold
 * and release.
 */
final class KeyOrdering {

    /** A parked follower. */
    record Parked(Bytes storeKey, byte[] envelope) {}

    /** A key's head and hold, as a change not yet written (keep-until-committed mode). */
    private record Head(String eventId, boolean held, String heldReason, Long heldSince) {

        static Head of(KeyState state) {
            return new Head(state.getHeadEventId(), state.getHeld(), state.getHeldReason(), state.getHeldSince());
        }

        void applyTo(KeyState state) {
            state.setHeadEventId(eventId);
            state.setHeld(held);
            state.setHeldReason(heldReason);
            state.setHeldSince(heldSince);
        }
    }

    private final KeyValueStore<Bytes, byte[]> keys;
    private final KeyValueStore<Bytes, byte[]> parked;
    private final boolean keepUntilCommitted;
    private final LadderMetrics.TaskGauges gauges;
    /** Followers taken but still in the store (keep-until-committed mode): parked key → key. */
    private final Map<Bytes, byte[]> taken = new HashMap<>();
    /** How many of each key's parked followers are taken (keep-until-committed mode). */
    private final Map<Bytes, Integer> takenPerKey = new HashMap<>();
    /**
     * The store key of each key's newest taken follower (keep-until-committed mode). Followers are
     * taken oldest first, so the taken ones are the front of their key's range: the next one is
     * looked for from here, not from the start (which made a key's takings within one commit
     * interval, 30 s by default under at-least-once, cost a scan each of all taken before them).
     */
    private final Map<Bytes, Bytes> lastTaken = new HashMap<>();
    /** Taken followers a commit has covered: deleted at the next {@link #releaseCommitted()}. */
    private final List<Bytes> committed = new ArrayList<>();
    /** Head and hold changes not yet written (keep-until-committed mode), newest per key; reads see them. */
    private final Map<Bytes, Head> pendingHeads = new HashMap<>();
    /** Head changes a commit has covered: written at the next {@link #releaseCommitted()}. */
    private final Map<Bytes, Head> committedHeads = new HashMap<>();

    KeyOrdering(KeyValueStore<Bytes, byte[]> keys, KeyValueStore<Bytes, byte[]> parked) {
        this(keys, parked, false);
    }

    KeyOrdering(KeyValueStore<Bytes, byte[]> keys, KeyValueStore<Bytes, byte[]> parked, boolean keepUntilCommitted) {
        this(keys, parked, keepUntilCommitted, new LadderMetrics.TaskGauges());
    }

    /**
     * @param keepUntilCommitted keep a taken follower (and its count) in the stores until a commit
     *     has covered its outcome, and write a key's head and hold only once a commit has flushed
     *     the record they stand for: at-least-once has no transaction, and only a commit's flush
     *     orders a record before the store entry that refers to it. Otherwise a crash could keep a
     *     head whose retry record never reached Kafka, and its followers would wait behind it (seen
     *     in {@code AtLeastOnceKillsIT}: keys whose head had no timer and a status of PARKED)
     * @param gauges the task's gauges, whose parked and blocked counts this keeps
     */
    KeyOrdering(
            KeyValueStore<Bytes, byte[]> keys,
            KeyValueStore<Bytes, byte[]> parked,
            boolean keepUntilCommitted,
            LadderMetrics.TaskGauges gauges) {
        this.keys = keys;
        this.parked = parked;
        this.keepUntilCommitted = keepUntilCommitted;
        this.gauges = gauges;
    }

    /** Notes that a commit is about to cover the outcomes of every follower taken so far. */
    void committing() {
        committed.addAll(taken.keySet());
        committedHeads.putAll(pendingHeads);
        pendingHeads.clear();
    }

    /**
     * Writes the head changes a finished commit covered, then deletes the followers it covered and
     * counts them out of their keys.
     */
    void releaseCommitted() {
        for (Map.Entry<Bytes, Head> change : committedHeads.entrySet()) {
            KeyState state = stored(change.getKey().get());
            change.getValue().applyTo(state);
            putOrRemove(change.getKey().get(), state);
        }
        committedHeads.clear();
        for (Bytes storeKey : committed) {
            byte[] key = taken.remove(storeKey);
            if (key == null) {
                continue;
            }
            if (takenPerKey.computeIfPresent(Bytes.wrap(key), (k, n) -> n <= 1 ? null : n - 1) == null) {
                // none of the key's followers is taken any more: its range starts at its front again
                lastTaken.remove(Bytes.wrap(key));
            }
            parked.delete(storeKey);
            KeyState state = stored(key);
            if (state.getParked() > 0) {
                state.setParked(state.getParked() - 1);
                putOrRemove(key, state);
            }
        }
        committed.clear();
    }

    /**
     * True when new events of this key must wait: it has a head in retry, it is held, or earlier
     * events of it are still parked (a freed key's followers run before anything newer). A
     * follower already taken is no longer waiting, though at-least-once keeps it (and its count)
     * until a commit covers it: counting it would park the key's next event behind a follower that
     * is done, where nothing would ever start it (nothing frees the key when the commit comes).
     */
    public boolean isBlocked(byte[] key) {
        KeyState state = get(key);
        return state != null
                && (state.getHeadEventId() != null
                        || state.getHeld()
                        || state.getParked() > takenPerKey.getOrDefault(Bytes.wrap(key), 0));
    }

    /** The key's state (with head changes not yet written), or null when the key has none. */
    public KeyState get(byte[] key) {
        byte[] bytes = keys.get(Bytes.wrap(key));
        return overlay(key, bytes == null ? null : AvroCodec.KEY_STATE.decode(bytes));
    }

    /** A state as stored with the head change not yet written, if any, applied. */
    private KeyState overlay(byte[] key, KeyState state) {
        Head head = pendingHead(Bytes.wrap(key));
        if (head == null) {
            return state;
        }
        KeyState seen = state != null ? state : KeyState.newBuilder().build();
        head.applyTo(seen);
        return seen.getHeadEventId() == null && !seen.getHeld() && seen.getParked() == 0 ? null : seen;
    }

    private Head pendingHead(Bytes key) {
        Head head = pendingHeads.get(key);
        return head != null ? head : committedHeads.get(key);
    }

    /** The key's state as stored, or a new one: what the parked counts are written onto. */
    private KeyState stored(byte[] key) {
        byte[] bytes = keys.get(Bytes.wrap(key));
        return bytes == null ? KeyState.newBuilder().build() : AvroCodec.KEY_STATE.decode(bytes);
    }

    /**
     * Parks a follower at the end of its key's queue. The entry and its count are written at once,
     * in every mode: an addition never refers to a record that might not exist.
     */
    public void park(byte[] key, byte[] envelope) {
        KeyState state = stored(key);
        long sequence = state.getNextSequence();
        parked.put(parkedKey(key, sequence), envelope);
        state.setNextSequence(sequence + 1);
        state.setParked(state.getParked() + 1);
        put(key, state);
        gauges.parked(1);
    }

    /** Makes an event the head its key's later events wait behind. */
    public void setHead(byte[] key, String eventId) {
        KeyState state = getOrNew(key);
        state.setHeadEventId(eventId);
        changeHead(key, state);
    }

    /** True when the event is its key's head. */
    public boolean isHead(byte[] key, String eventId) {
        KeyState state = get(key);
        return state != null && eventId.equals(state.getHeadEventId());
    }

    /** Clears the head if it is this event; the key stays in the store while it has followers. */
    public void clearHead(byte[] key, String eventId) {
        KeyState state = get(key);
        if (state != null && eventId.equals(state.getHeadEventId())) {
            state.setHeadEventId(null);
            changeHead(key, state);
        }
    }

    /**
     * Holds the key: its head died under the hold policy, and nothing of it runs until an operator
     * releases it.
     *
     * @return true when the key was not held before
     */
    public boolean hold(byte[] key, String reason, long now) {
        KeyState state = getOrNew(key);
        boolean newly = !state.getHeld();
        state.setHeadEventId(null);
        state.setHeld(true);
        state.setHeldReason(reason);
        state.setHeldSince(now);
        changeHead(key, state);
        if (newly) {
            gauges.blocked(1);
        }
        return newly;
    }

    /**
     * Releases a held key; its followers run on the next {@link #pollFollower}.
     *
     * @return true when the key was held
     */
    public boolean release(byte[] key) {
        KeyState state = get(key);
        if (state == null || !state.getHeld()) {
            return false;
        }
        state.setHeld(false);
        state.setHeldReason(null);
        state.setHeldSince(null);
        changeHead(key, state);
        gauges.blocked(-1);
        return true;
    }

    /** Takes the key's oldest follower out of the parked store, if it has one and is not blocked. */
    public Optional<Parked> pollFollower(byte[] key) {
        KeyState state = get(key);
        if (state == null || state.getHeadEventId() != null || state.getHeld() || state.getParked() == 0) {
            return Optional.empty();
        }
        Parked next = null;
        boolean anyTaken = false;
        Bytes from = lastTaken.getOrDefault(Bytes.wrap(key), parkedKey(key, 0));
        try (KeyValueIterator<Bytes, byte[]> it = parked.range(from, parkedKey(key, Long.MAX_VALUE))) {
            while (it.hasNext() && next == null) {
                KeyValue<Bytes, byte[]> entry = it.next();
                if (taken.containsKey(entry.key)) {
                    anyTaken = true;
                } else {
                    next = new Parked(entry.key, entry.value);
                }
            }
        }
        if (next == null && anyTaken) {
            return Optional.empty();
        }
        if (next != null && keepUntilCommitted) {
            taken.put(next.storeKey(), key);
            takenPerKey.merge(Bytes.wrap(key), 1, Integer::sum);
            lastTaken.put(Bytes.wrap(key), next.storeKey());
            gauges.parked(-1);
            return Optional.of(next);
        }
        KeyState counts = stored(key);
        if (next == null) {
            // the count and the store disagree (a store edited, or an at-least-once crash between
            // the two writes): trust the store
            counts.setParked(0);
            putOrRemove(key, counts);
            return Optional.empty();
        }
        parked.delete(next.storeKey());
        counts.setParked(Math.max(0, counts.getParked() - 1));
        putOrRemove(key, counts);
        gauges.parked(-1);
        return Optional.of(next);
    }

    /** What a scan of every key found at init. */
    record Census(long parked, long held, List<byte[]> free) {}

    /**
     * Counts parked followers and held keys, and lists the keys whose followers may run now (no
     * head, not held: the task stopped after their head resolved and before they ran), and sets
     * the parked and blocked gauges to the counts. A full scan: call at init only.
     */
    public Census census() {
        long parkedCount = 0;
        long held = 0;
        List<byte[]> free = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = keys.all()) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> entry = it.next();
                KeyState state = AvroCodec.KEY_STATE.decode(entry.value);
                parkedCount += state.getParked();
                held += state.getHeld() ? 1 : 0;
                if (state.getParked() > 0 && state.getHeadEventId() == null && !state.getHeld()) {
                    free.add(entry.key.get());
                }
            }
        }
        gauges.resetKeys(parkedCount, held);
        return new Census(parkedCount, held, free);
    }

    /** A key and its state. */
    record Entry(byte[] key, KeyState state) {}

    /**
     * Up to {@code max} keys from {@code from} on (all keys when null), in key order, with their
     * state: a bounded step of a sweep over the keys store.
     */
    public List<Entry> from(Bytes from, int max) {
        List<Entry> entries = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = from == null ? keys.all() : keys.range(from, null)) {
            while (it.hasNext() && entries.size() < max) {
                KeyValue<Bytes, byte[]> entry = it.next();
                KeyState state = overlay(entry.key.get(), AvroCodec.KEY_STATE.decode(entry.value));
                if (state != null) {
                    entries.add(new Entry(entry.key.get(), state));
                }
            }
        }
        return entries;
    }

    /** Every key's state, for the blocked-keys listing. */
    public KeyValueIterator<Bytes, byte[]> all() {
        return keys.all();
    }

    private KeyState getOrNew(byte[] key) {
        KeyState state = get(key);
        return state != null ? state : KeyState.newBuilder().build();
    }

    /**
     * Writes a head or hold change: at once, or (keep-until-committed mode) after the commit that
     * flushes the records written with it. The parked counts are never part of the change.
     */
    private void changeHead(byte[] key, KeyState state) {
        if (!keepUntilCommitted) {
            KeyState counts = stored(key);
            Head.of(state).applyTo(counts);
            putOrRemove(key, counts);
            return;
        }
        pendingHeads.put(Bytes.wrap(key), Head.of(state));
    }

    private void put(byte[] key, KeyState state) {
        keys.put(Bytes.wrap(key), AvroCodec.KEY_STATE.encode(state));
    }

    private void putOrRemove(byte[] key, KeyState state) {
        if (state.getHeadEventId() == null && !state.getHeld() && state.getParked() == 0) {
            keys.delete(Bytes.wrap(key));
        } else {
            put(key, state);
        }
    }

    static Bytes parkedKey(byte[] key, long sequence) {
        return Bytes.wrap(ByteBuffer.allocate(4 + key.length + 8)
                .putInt(key.length)
                .put(key)
                .putLong(sequence)
                .array());
    }
}
