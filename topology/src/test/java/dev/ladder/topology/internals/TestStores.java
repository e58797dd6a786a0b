package dev.ladder.topology.internals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.WindowStore;

/** The engine's stores, opened on their own (RocksDB in {@code stateDir}, no changelog) for unit tests. */
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

    private static <S extends StateStore> S init(Path stateDir, S store) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "ladder-store-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        MockProcessorContext<Object, Object> context =
                new MockProcessorContext<>(config, new TaskId(0, 0), stateDir.toFile());
        store.init(context.getStateStoreContext(), store);
        return store;
    }
}
