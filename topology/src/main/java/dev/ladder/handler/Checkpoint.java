package dev.ladder.handler;

import java.util.Optional;

/**
 * A handler's stage checkpoint: a few bytes saying how far an event got, kept in its envelope and
 * handed back on the next attempt, so a retry can resume after the last completed stage instead of
 * repeating it (charge the card, then book the shipment: a retry after a failed booking must not
 * charge again). Shown in the dead letter and the event status.
 *
 * <p>{@link #previous()} is what the last attempt saved; {@link #save} replaces it for the next
 * attempt. An attempt that saves nothing keeps the previous checkpoint. Thread-safe.
 */
public final class Checkpoint {

    private final byte[] previous;
    private final int maxBytes;
    private volatile byte[] saved;

    /**
     * @param previous the checkpoint the last attempt saved, or null
     * @param maxBytes the largest checkpoint {@link #save} accepts
     */
    public Checkpoint(byte[] previous, int maxBytes) {
        this.previous = previous == null ? null : previous.clone();
        this.maxBytes = maxBytes;
    }

    /** No previous checkpoint, 16 KiB limit. */
    public static Checkpoint none() {
        return new Checkpoint(null, 16 * 1024);
    }

    /** What the last attempt saved, if anything. */
    public Optional<byte[]> previous() {
        return Optional.ofNullable(previous).map(byte[]::clone);
    }

    /**
     * Saves a checkpoint for the next attempt (and the dead letter, should it come to that).
     *
     * @throws IllegalArgumentException when {@code data} is larger than the configured limit
     */
    public void save(byte[] data) {
        if (data == null) {
            throw new IllegalArgumentException("checkpoint is null; save an empty array to clear it");
        }
        if (data.length > maxBytes) {
            throw new IllegalArgumentException(
                    "checkpoint of " + data.length + " bytes exceeds handler.max-checkpoint-bytes (" + maxBytes + ")");
        }
        saved = data.clone();
    }

    /** The checkpoint to carry forward: the one saved by this attempt, else the previous one. */
    public byte[] current() {
        byte[] s = saved;
        return s != null ? s.clone() : previous == null ? null : previous.clone();
    }
}
