package dev.ladder.topology.internals;

import dev.ladder.avro.EventStatus;
import dev.ladder.avro.KeyState;
import dev.ladder.policy.Millis;
import dev.ladder.topology.internals.EventLedger.Status;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;

/**
 * Finds keys whose head can never come back, so that no key waits behind one for ever.
 *
 * <p>A retrying head returns when its tier record is read back into the timers store. When that
 * record is gone (deleted by retention while Ladder was down, written to another partition after
 * the main topic's partition count changed, or never recognised as the head's), nothing else
 * would ever clear the head, and the key's followers would stay parked, unseen. A head is lost
 * when its event already finished or is unknown to the events store, or when it has no timer and
 * was due more than {@link #AFTER} ago while this task has been running at least as long (a
 * restart after downtime first gets the time to read its tier topics). The dead-key policy then
 * decides, as for a head that was dead-lettered: release the followers or hold the key.
 *
 * <p>The sweep walks the keys store in bounded steps from where it stopped, never in one go.
 */
final class LostHeads {

    /** How long past its due time a head without a timer is waited for. */
    static final Duration AFTER = Duration.ofHours(1);
    /** Keys looked at per punctuation. */
    static final int BATCH = 100;

    /** A key whose head will not come back. */
    record Lost(byte[] key, String headEventId, String reason) {}

    private final KeyOrdering ordering;
    private final EventLedger ledger;
    private final TimerQueue timers;
    private final long startedAt;
    private Bytes cursor;

    LostHeads(KeyOrdering ordering, EventLedger ledger, TimerQueue timers, long startedAt) {
        this.ordering = ordering;
        this.ledger = ledger;
        this.timers = timers;
        this.startedAt = startedAt;
    }

    /** Looks at the next {@link #BATCH} keys and returns those whose head is lost. */
    List<Lost> sweep(long now) {
        List<KeyOrdering.Entry> entries = ordering.from(cursor, BATCH);
        // the next step starts just after the last key seen (its successor in byte order), or
        // from the start again once the store was walked to its end
        cursor = entries.size() < BATCH
                ? null
                : Bytes.wrap(Arrays.copyOf(
                        entries.get(entries.size() - 1).key(),
                        entries.get(entries.size() - 1).key().length + 1));
        List<Lost> lost = new ArrayList<>();
        for (KeyOrdering.Entry entry : entries) {
            String reason = reason(entry.state(), now);
            if (reason != null) {
                lost.add(new Lost(entry.key(), entry.state().getHeadEventId(), reason));
            }
        }
        return lost;
    }

    /** Why the key's head can never resolve, or null when it still may (or it has none). */
    String reason(KeyState state, long now) {
        String head = state.getHeadEventId();
        if (head == null || state.getHeld()) {
            return null;
        }
        EventStatus status = ledger.get(head);
        if (status == null) {
            return "its head event " + head + " is unknown to the events store";
        }
        Status known;
        try {
            known = Status.valueOf(status.getStatus());
        } catch (IllegalArgumentException e) {
            return null; // written by a newer Ladder: not ours to judge
        }
        if (known.finished()) {
            return "its head event " + head + " is already " + known + " but the key was never freed";
        }
        long due = status.getDueTime() != null ? status.getDueTime() : status.getUpdatedTime();
        if (timers.contains(due, head)
                || now < Millis.add(due, AFTER.toMillis())
                || now < Millis.add(startedAt, AFTER.toMillis())) {
            return null;
        }
        return "its head event " + head + " was due at " + Instant.ofEpochMilli(due) + " (tier " + status.getTier()
                + ") and has not come back for " + AFTER.toMinutes() + " minutes: its retry record is lost"
                + " (deleted by retention, unreadable, or on another partition after a partition count change)";
    }
}
