package dev.ladder.topology.internals;

import dev.ladder.avro.RetryEnvelope;
import dev.ladder.kernel.LadderMetrics;
import dev.ladder.serde.AvroCodec;
import dev.ladder.serde.Envelopes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.apache.kafka.common.utils.Bytes;

/**
 * The task's calls in flight. Keeps the three steps apart: {@link #start} admits an attempt on the
 * stream thread and starts its call elsewhere; the call's result comes back as data on a queue;
 * {@link #pump} and {@link #barrier} record results on the stream thread, where every state
 * change and every forward happens.
 *
 * <p>At most {@code limit} calls are in flight (a new start waits for a result when full), and
 * under per-key ordering at most one per key: a key with a call in flight is busy, and its later
 * events park behind it like behind a retrying head. When a key's call is recorded the key may be
 * free; its parked followers start from {@link #startReady}, oldest first, one at a time.
 *
 * <p>Exactly-once rests on {@link #barrier}: Kafka Streams runs it before every commit (see
 * {@link CommitBarrier}), and it returns only once nothing is in flight, every result recorded.
 * So a committed input offset always comes with its event's recorded outcome, and a task that
 * crashes or is revoked with calls in flight commits none of them: whoever owns it next runs them
 * again, with the same event id.
 */
final class AttemptEngine {

    /** A call in flight. */
    private static final class Flight {
        final AttemptRunner.Pending pending;
        final long startNanos = System.nanoTime();
        CompletableFuture<AttemptExecutor.Result> future;

        Flight(AttemptRunner.Pending pending) {
            this.pending = pending;
        }
    }

    /** A call's result, handed back to the stream thread. */
    private record Done(Flight flight, AttemptExecutor.Result result, long endNanos) {}

    private final AttemptRunner runner;
    private final KeyOrdering ordering;
    private final LadderMetrics.TaskGauges gauges;
    private final boolean perKey;
    private final IntSupplier limit;
    private final LongSupplier clock;
    private final LinkedBlockingQueue<Done> done = new LinkedBlockingQueue<>();
    private final Map<String, Flight> inFlight = new LinkedHashMap<>();
    private final Map<Bytes, Integer> busyKeys = new HashMap<>();
    private final ArrayDeque<byte[]> freed = new ArrayDeque<>();
    private volatile boolean closed;

    /**
     * @param perKey true under per-key ordering: one call per key, followers park
     * @param limit the most calls in flight for this task, read at each start
     * @param clock the task's clock
     */
    AttemptEngine(
            AttemptRunner runner,
            KeyOrdering ordering,
            LadderMetrics.TaskGauges gauges,
            boolean perKey,
            IntSupplier limit,
            LongSupplier clock) {
        this.runner = runner;
        this.ordering = ordering;
        this.gauges = gauges;
        this.perKey = perKey;
        this.limit = limit;
        this.clock = clock;
    }

    /**
     * Starts an attempt, first waiting for a free slot when all are taken. What needs no call (a
     * deferral, a confirmed dead letter) is recorded before this returns.
     *
     * @return false when the event already has a call in flight: nothing is started, the running
     *     call decides the event's outcome
     */
    boolean start(RetryEnvelope envelope, int tier, int tierAttempt, String topic) {
        if (inFlight.containsKey(envelope.getEventId())) {
            // at-least-once only: a crash can leave two timers of one event (the one whose call ran
            // before the crash and the retry record that call wrote), or a parked copy of a
            // redelivered record. Two calls of one event would also share one slot entry, and the
            // first result back would orphan the second and leave the key busy for ever
            return false;
        }
        awaitSlot();
        AttemptRunner.Pending pending = runner.begin(envelope, tier, tierAttempt, topic);
        byte[] key = Envelopes.bytes(envelope.getKey());
        if (pending == null) {
            keyMayBeFree(key);
            return true;
        }
        Flight flight = new Flight(pending);
        inFlight.put(envelope.getEventId(), flight);
        if (ordered(key)) {
            busyKeys.merge(Bytes.wrap(key), 1, Integer::sum);
        }
        gauges.inFlight(1);
        flight.future = runner.call(pending);
        AttemptExecutor.Result now = flight.future.getNow(null);
        if (now != null) {
            // an asynchronous handler that answered at once (no I/O): recorded here, with no
            // hand-off through the queue and no wait for the next pump
            record(new Done(flight, now, System.nanoTime()));
            return true;
        }
        flight.future.whenComplete((result, failure) -> {
            if (!closed) {
                done.add(new Done(flight, result, System.nanoTime()));
            }
        });
        return true;
    }

    /** True when the event has a call in flight here. */
    boolean inFlight(String eventId) {
        return inFlight.containsKey(eventId);
    }

    /** True when the key has a call in flight (per-key ordering only). */
    boolean busy(byte[] key) {
        return key != null && busyKeys.containsKey(Bytes.wrap(key));
    }

    /** Slots free now. */
    int free() {
        return Math.max(0, Math.max(1, limit.getAsInt()) - inFlight.size());
    }

    /** Calls in flight. */
    int size() {
        return inFlight.size();
    }

    /** Notes that a key may have become free (its head resolved or was released). */
    void keyMayBeFree(byte[] key) {
        if (ordered(key)) {
            freed.add(key);
        }
    }

    /**
     * Records the results that are back, then starts the followers of freed keys while time is
     * left (a started follower may wait for a slot).
     *
     * @param deadlineNanos when to stop starting followers ({@link System#nanoTime()} scale)
     */
    void pump(long deadlineNanos) {
        recordReady();
        startReady(deadlineNanos);
    }

    /**
     * Runs before each commit: records every call in flight, waiting for them; freed keys' followers
     * keep starting (and are waited for) until the deadline, after which they stay parked for the
     * next round. Returns with nothing in flight.
     */
    void barrier(long deadlineNanos) {
        while (true) {
            recordReady();
            if (System.nanoTime() < deadlineNanos) {
                startReady(deadlineNanos);
            }
            if (inFlight.isEmpty()) {
                return;
            }
            awaitOne();
        }
    }

    /** Starts freed keys' oldest followers until none is left or the deadline passes. */
    private void startReady(long deadlineNanos) {
        while (!freed.isEmpty() && System.nanoTime() < deadlineNanos) {
            byte[] key = freed.poll();
            if (busy(key)) {
                continue;
            }
            var follower = ordering.pollFollower(key);
            if (follower.isEmpty()) {
                continue;
            }
            RetryEnvelope next = AvroCodec.ENVELOPE.decode(follower.get().envelope());
            start(next, 0, 1, next.getOriginalTopic());
        }
    }

    private void awaitSlot() {
        while (inFlight.size() >= Math.max(1, limit.getAsInt())) {
            awaitOne();
        }
    }

    /** Waits for one result and records it (and any others already back). */
    private void awaitOne() {
        try {
            Done first = done.poll(1, TimeUnit.SECONDS);
            if (first != null) {
                record(first);
            }
        } catch (InterruptedException e) {
            // the stream thread is being shut down; the calls in flight are abandoned uncommitted
            Thread.currentThread().interrupt();
            throw new org.apache.kafka.common.errors.InterruptException(e);
        }
        recordReady();
    }

    private void recordReady() {
        Done next;
        while ((next = done.poll()) != null) {
            record(next);
        }
    }

    private void record(Done result) {
        Flight flight = result.flight();
        AttemptRunner.Pending pending = flight.pending;
        String eventId = pending.envelope().getEventId();
        if (inFlight.remove(eventId) != flight) {
            return;
        }
        gauges.inFlight(-1);
        byte[] key = pending.key();
        if (ordered(key)) {
            busyKeys.computeIfPresent(Bytes.wrap(key), (k, n) -> n <= 1 ? null : n - 1);
        }
        // the call's own end, on the task's clock: results may wait a little for the stream thread
        long elapsedMillis = (result.endNanos() - flight.startNanos) / 1_000_000L;
        long endedAt = Math.min(clock.getAsLong(), pending.startedAt() + Math.max(0, elapsedMillis));
        runner.finish(pending, result.result(), endedAt);
        keyMayBeFree(key);
    }

    /** Event ids in flight, oldest first (for tests and status). */
    List<String> ids() {
        return new ArrayList<>(inFlight.keySet());
    }

    /** Abandons the calls in flight: their results, if they come, are discarded. */
    void close() {
        closed = true;
        for (Flight flight : inFlight.values()) {
            if (flight.future != null) {
                flight.future.cancel(true);
            }
        }
        gauges.inFlight(-inFlight.size());
        inFlight.clear();
        done.clear();
    }

    private boolean ordered(byte[] key) {
        return perKey && key != null;
    }
}
