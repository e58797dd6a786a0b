package dev.ladder.retry;

import dev.ladder.avro.RetryEnvelope;
import dev.ladder.handler.EventHandler;
import dev.ladder.topology.LadderMetrics;
import dev.ladder.topology.LadderSettings;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;

/**
 * Supplies one {@link RetryProcessor} per task and owns its stores, so the stores are connected to
 * exactly this processor and named in one place.
 */
public final class RetryProcessorSupplier implements ProcessorSupplier<byte[], byte[], byte[], Outbound> {

    private final LadderSettings settings;
    private final EventHandler handler;
    private final Serde<RetryEnvelope> serde;
    private final LadderMetrics metrics;
    private final Map<String, String> changelogConfig;

    /**
     * @param handler the processing step, shared by all tasks (it must be thread-safe); the caller
     *     owns its lifecycle
     * @param serde the envelope serde for tier and dead-letter records
     * @param changelogConfig topic configs for the stores' changelog topics
     */
    public RetryProcessorSupplier(
            LadderSettings settings, EventHandler handler, Serde<RetryEnvelope> serde, LadderMetrics metrics,
            Map<String, String> changelogConfig) {
        this.settings = settings;
        this.handler = handler;
        this.serde = serde;
        this.metrics = metrics;
        this.changelogConfig = Map.copyOf(changelogConfig);
    }

    @Override
    public Processor<byte[], byte[], byte[], Outbound> get() {
        return new RetryProcessor(settings, handler, serde, metrics, RandomGenerator.of("L64X128MixRandom"));
    }

    @Override
    public Set<StoreBuilder<?>> stores() {
        return Set.copyOf(RetryStores.builders(changelogConfig));
    }
}
