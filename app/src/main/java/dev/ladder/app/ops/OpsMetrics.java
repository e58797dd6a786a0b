package dev.ladder.app.ops;

import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The Prometheus registry of one Ladder process, with the JVM's meters and, once bound, the Kafka
 * Streams client's. Ladder's own meters ({@code dev.ladder.kernel.LadderMetrics}) are created in
 * the same {@link #registry()}.
 */
public final class OpsMetrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gc;
    private KafkaStreamsMetrics streams;

    /** A new registry with JVM memory, GC, thread, class loader, processor and uptime meters. */
    public OpsMetrics() {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        // The GC binder holds notification listeners: it must be closed.
        this.gc = new JvmGcMetrics();
        gc.bindTo(registry);
    }

    /** The registry to create meters in and to scrape. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /**
     * Publishes the Kafka Streams client's metrics (threads, tasks, stores, and its embedded
     * consumers and producers) through Micrometer's binder. Binding a new client replaces the
     * previous one, as after a restart of the Streams instance.
     */
    public synchronized void bindStreams(KafkaStreams kafkaStreams) {
        bindStreams(kafkaStreams, List.of());
    }

    /** As {@link #bindStreams(KafkaStreams)}, with extra tags on every Streams meter. */
    public synchronized void bindStreams(KafkaStreams kafkaStreams, Iterable<Tag> tags) {
        unbindStreams();
        streams = new KafkaStreamsMetrics(kafkaStreams, tags);
        streams.bindTo(registry);
    }

    /** Stops publishing the Streams client's metrics (its binder refreshes on a scheduler). */
    public synchronized void unbindStreams() {
        if (streams != null) {
            streams.close();
            streams = null;
        }
    }

    @Override
    public synchronized void close() {
        unbindStreams();
        gc.close();
        registry.close();
    }
}
