package dev.ladder.retry;

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
    /** Expiry time (8 bytes, big-endian) + event id → empty: the time-ordered expiry index. */
    public static final String EVENTS_EXPIRY = "ladder-events-expiry";

    /** Every store name. */
    public static final List<String> NAMES = List.of(TIMERS, KEYS, PARKED, EVENTS, EVENTS_EXPIRY);

    private RetryStores() {}

    /** Builders of every store, each with logging enabled and the given changelog settings. */
    public static List<StoreBuilder<KeyValueStore<Bytes, byte[]>>> builders(Map<String, String> changelogConfig) {
        return NAMES.stream().map(name -> builder(name, changelogConfig)).toList();
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
