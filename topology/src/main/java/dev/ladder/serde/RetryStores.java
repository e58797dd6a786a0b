package dev.ladder.serde;

import java.util.List;

/**
 * The names of the retry processor's state stores, for interactive queries and for whatever must
 * recognise their changelog topics. Keys are raw bytes; values decode with {@link AvroCodec}. All
 * are persistent (RocksDB) and changelogged, so a pending retry survives a crash or a move to
 * another instance. The engine builds them; nothing else writes them.
 */
public final class RetryStores {

    /** Due time (8 bytes, big-endian) + event id → envelope ({@link AvroCodec#ENVELOPE}): the delay queue. */
    public static final String TIMERS = "ladder-timers";
    /** Original key bytes → {@code KeyState} ({@link AvroCodec#KEY_STATE}): per-key ordering. */
    public static final String KEYS = "ladder-keys";
    /** Key length + key bytes + sequence → envelope: followers waiting behind their key's head. */
    public static final String PARKED = "ladder-parked";
    /** Event id → {@code EventStatus} ({@link AvroCodec#EVENT_STATUS}): idempotency and status queries. */
    public static final String EVENTS = "ladder-events";
    /**
     * Expiry time (8 bytes, big-endian) + event id → empty: the time-ordered expiry index of the
     * finished statuses that Ladder versions before {@link #FINISHED} kept in {@link #EVENTS}.
     */
    public static final String EVENTS_EXPIRY = "ladder-events-expiry";
    /**
     * Event id at its finish time → {@code EventStatus}: a window store of the events that will not
     * run again, for duplicate detection and status queries; old segments drop by retention.
     */
    public static final String FINISHED = "ladder-finished";

    /** Every store name. */
    public static final List<String> NAMES = List.of(TIMERS, KEYS, PARKED, EVENTS, EVENTS_EXPIRY, FINISHED);

    private RetryStores() {}
}
