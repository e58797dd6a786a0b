package dev.ladder.topology.internals;

import dev.ladder.avro.RetryEnvelope;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The engine's stores, opened on their own (RocksDB in {@code stateDir}, no changelog), and the
 * context and events around them, for unit tests.
 */
final class TestStores {

    private TestStores() {}

    /** A key-value store like the processor's timers, keys, parked and events stores. */
    static KeyValueStore<Bytes, byte[]> keyValue(Path stateDir, String name) {
        return init(
                stateDir,
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.Bytes(), Serdes.ByteArray())
                        .withLoggingDisabled()
                        .build());
    }

    /** A window store like the processor's finished-ids store. */
    static WindowStore<Bytes, byte[]> window(Path stateDir, String name, Duration retention) {
        return init(
                stateDir,
                Stores.windowStoreBuilder(
                                Stores.persistentWindowStore(name, retention, Duration.ofMillis(1), false),
                                Serdes.Bytes(),
                                Serdes.ByteArray())
                        .withLoggingDisabled()
                        .build());
    }

    /** A processor context of task 0_0 with its state in {@code stateDir}: it captures what is forwarded. */
    static <K, V> MockProcessorContext<K, V> context(Path stateDir) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "ladder-store-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        return new MockProcessorContext<>(config, new TaskId(0, 0), stateDir.toFile());
    }

    /** Per-key ordering on its own keys and parked stores, exactly-once (writes at once). */
    static KeyOrdering ordering(Path stateDir) {
        return new KeyOrdering(keyValue(stateDir, "keys"), keyValue(stateDir, "parked"), false);
    }

    /** A ledger on its own stores, remembering finished ids for a day, its clock stopped at {@code now}. */
    static EventLedger ledger(Path stateDir, long now) {
        return new EventLedger(
                keyValue(stateDir, "events"),
                window(stateDir, "finished", Duration.ofDays(1)),
                keyValue(stateDir, "expiry"),
                () -> Duration.ofDays(1),
                () -> now);
    }

    /** An event read at {@code at} from orders-0 offset 7, key "k", value "v". */
    static RetryEnvelope event(String id, long at) {
        return EnvelopeFactory.fromRecord(
                id,
                "k".getBytes(StandardCharsets.UTF_8),
                "v".getBytes(StandardCharsets.UTF_8),
                new RecordHeaders(),
                "orders",
                0,
                7,
                at,
                at);
    }

    private static <S extends StateStore> S init(Path stateDir, S store) {
        store.init(TestStores.<Object, Object>context(stateDir).getStateStoreContext(), store);
        return store;
    }
}
