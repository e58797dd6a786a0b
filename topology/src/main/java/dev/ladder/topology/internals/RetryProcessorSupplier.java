package dev.ladder.topology.internals;

import dev.ladder.avro.RetryEnvelope;
import dev.ladder.downstream.DownstreamGate;
import dev.ladder.handler.EventHandler;
import dev.ladder.kernel.LadderClock;
import dev.ladder.kernel.LadderMetrics;
import dev.ladder.policy.LiveSettings;
import dev.ladder.serde.RetryStores;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Supplies one {@link RetryProcessor} per task and owns its stores (named in {@link RetryStores}),
 * so the stores are connected to exactly this processor and built in one place.
 */
final class RetryProcessorSupplier implements ProcessorSupplier<byte[], byte[], byte[], Outbound> {

    private final LiveSettings live;
    private final EventHandler handler;
    private final DownstreamGate gate;
    private final Serde<RetryEnvelope> serde;
    private final LadderMetrics metrics;
    private final Map<String, String> changelogConfig;
    private final LadderClock clock;
    private final ThreadShares shares = new ThreadShares();

    /** The key-value stores, each persistent and changelogged; the finished store is a window store. */
    private static final List<String> KEY_VALUE_STORES = List.of(
            RetryStores.TIMERS, RetryStores.KEYS, RetryStores.PARKED, RetryStores.EVENTS, RetryStores.EVENTS_EXPIRY);

    /**
     * @param live the settings, read live by every task
     * @param handler the processing step, shared by all tasks (it must be thread-safe); the caller
     *     owns its lifecycle
     * @param gate the circuit breaker and rate limit, shared by all tasks of this instance
     * @param serde the envelope serde for tier and dead-letter records
     * @param changelogConfig topic configs for the stores' changelog topics
     * @param clock the time every task reads, or null: each task follows its context's time
     */
    public RetryProcessorSupplier(
            LiveSettings live,
            EventHandler handler,
            DownstreamGate gate,
            Serde<RetryEnvelope> serde,
            LadderMetrics metrics,
            Map<String, String> changelogConfig,
            LadderClock clock) {
        this.live = live;
        this.handler = handler;
        this.gate = gate;
        this.serde = serde;
        this.metrics = metrics;
        this.changelogConfig = Map.copyOf(changelogConfig);
        this.clock = clock;
    }

    @Override
    public Processor<byte[], byte[], byte[], Outbound> get() {
        return new RetryProcessor(
                live, handler, gate, serde, metrics, RandomGenerator.of("L64X128MixRandom"), clock, shares);
    }

    @Override
    public Set<StoreBuilder<?>> stores() {
        Set<StoreBuilder<?>> stores = new LinkedHashSet<>();
        // the barrier first: it records calls in flight (writing the other stores) before a commit
        stores.add(CommitBarrier.builder());
        KEY_VALUE_STORES.forEach(name -> stores.add(keyValueStore(name)));
        stores.add(Stores.windowStoreBuilder(
                        // one-millisecond windows: an entry is an id at one instant, never a range
                        Stores.persistentWindowStore(
                                RetryStores.FINISHED, live.get().idempotencyRetention(), Duration.ofMillis(1), false),
                        Serdes.Bytes(),
                        Serdes.ByteArray())
                .withLoggingEnabled(changelogConfig)
                .withCachingDisabled());
        return stores;
    }

    private StoreBuilder<KeyValueStore<Bytes, byte[]>> keyValueStore(String name) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), Serdes.Bytes(), Serdes.ByteArray())
                .withLoggingEnabled(changelogConfig)
                // no caching: every write must reach the changelog in the same transaction, and
                // the punctuator reads what process() just wrote
                .withCachingDisabled();
    }
}
