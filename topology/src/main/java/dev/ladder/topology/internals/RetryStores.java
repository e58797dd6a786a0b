package dev.ladder.topology.internals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The names and builders of the processor's state stores. All are persistent (RocksDB) and
 * changelogged, so a pending retry survives a crash or a move to another instance.
 */
public final class RetryStores {

    /** Due time (8 bytes, big-endian) + event id → envelope: the delay queue. */
    public static final String TIMERS = "ladder-timers";
    /** Original key bytes → {@code KeyState}: per-key ordering. */
    public static final String KEYS = "ladder-keys";
    /** Key length + key bytes + sequence → envelope: followers waiting behind their key's head. */
    public static final String PARKED = "ladder-parked";
    /** Event id → {@code EventStatus}: idempotency and status queries. */
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

    /** Every key-value store name. */
    static final List<String> KEY_VALUE_NAMES = List.of(TIMERS, KEYS, PARKED, EVENTS, EVENTS_EXPIRY);

    /** Every store name. */
    public static final List<String> NAMES = List.of(TIMERS, KEYS, PARKED, EVENTS, EVENTS_EXPIRY, FINISHED);

    private RetryStores() {}

    /**
     * Builders of every store, each with logging enabled and the given changelog settings.
     *
     * @param retention how long the finished store keeps an id: the idempotency retention
     */
    public static List<StoreBuilder<?>> builders(Map<String, String> changelogConfig, Duration retention) {
        List<StoreBuilder<?>> builders = new ArrayList<>();
        KEY_VALUE_NAMES.forEach(name -> builders.add(builder(name, changelogConfig)));
        builders.add(Stores.windowStoreBuilder(
                        // one-millisecond windows: an entry is an id at one instant, never a range
                        Stores.persistentWindowStore(FINISHED, retention, Duration.ofMillis(1), false),
                        Serdes.Bytes(),
                        Serdes.ByteArray())
                .withLoggingEnabled(changelogConfig)
                .withCachingDisabled());
        return builders;
    }

    private static StoreBuilder<KeyValueStore<Bytes, byte[]>> builder(
            String name, Map<String, String> changelogConfig) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.Bytes(), Serdes.ByteArray())
                .withLoggingEnabled(changelogConfig)
                // no caching: every write must reach the changelog in the same transaction, and
                // the punctuator reads what process() just wrote
                .withCachingDisabled();
    }
}
