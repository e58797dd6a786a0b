package dev.ladder.topology;

import dev.ladder.avro.RetryEnvelope;
import dev.ladder.downstream.DownstreamGate;
import dev.ladder.handler.EventHandler;
import dev.ladder.kernel.LadderClock;
import dev.ladder.kernel.LadderMetrics;
import dev.ladder.policy.LadderSettings;
import dev.ladder.policy.LiveSettings;
import dev.ladder.serde.AvroEnvelopeSerde;
import dev.ladder.topology.internals.EngineTopology;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;

/**
 * Builds Ladder's topology from settings: the one function that production, tests and library
 * users share. No I/O, no threads.
 *
 * <pre>
 *  main ─┐
 *  tier 1 ┼─▶ ladder-retry-processor ─▶ tier sinks, dead-letter sink, output sink
 *  tier N ┘      (timers, keys, parked, events, events-expiry stores)
 * </pre>
 *
 * All sources feed one processor, so they form one sub-topology whose tasks own key K's whole
 * history: K lives on partition p of every topic.
 */
public final class LadderTopology {

    private LadderTopology() {}

    /**
     * Builds the topology with fixed settings, the default Avro envelope serde, and the circuit
     * breaker and rate limit the settings describe.
     */
    public static Topology build(LadderSettings settings, EventHandler handler, LadderMetrics metrics) {
        return build(
                new LiveSettings(settings),
                handler,
                DownstreamGate.of(settings.breaker(), settings.rateLimit(), metrics),
                new AvroEnvelopeSerde(),
                metrics);
    }

    /**
     * Builds the topology with fixed settings on the application's clock; give Kafka Streams the
     * same clock's {@link LadderClock#streamsTime()}.
     */
    public static Topology build(
            LadderSettings settings, EventHandler handler, LadderMetrics metrics, LadderClock clock) {
        return build(
                new LiveSettings(settings),
                handler,
                DownstreamGate.of(settings.breaker(), settings.rateLimit(), metrics),
                new AvroEnvelopeSerde(),
                metrics,
                clock);
    }

    /**
     * Builds the topology.
     *
     * @param live the settings, validated here (an invalid setting fails with a message naming
     *     it) and read live by the running processor
     * @param handler the processing step, shared by every task; the caller closes it
     * @param gate the circuit breaker and rate limit shared by every task of this instance
     * @param serde the serde of tier and dead-letter record values
     * @param metrics where the meters go
     */
    public static Topology build(
            LiveSettings live,
            EventHandler handler,
            DownstreamGate gate,
            Serde<RetryEnvelope> serde,
            LadderMetrics metrics) {
        return build(live, handler, gate, serde, metrics, null);
    }

    /**
     * Builds the topology on a clock of the application's: give Kafka Streams the same clock's
     * {@link LadderClock#streamsTime()} ({@code new KafkaStreams(topology, props, time)}). Without
     * one, each task follows the time of its processor context, as a TopologyTestDriver mocks it,
     * and wall-clock steps forward are followed as they come.
     *
     * @param clock the time every task reads, or null
     * @see #build(LiveSettings, EventHandler, DownstreamGate, Serde, LadderMetrics)
     */
    public static Topology build(
            LiveSettings live,
            EventHandler handler,
            DownstreamGate gate,
            Serde<RetryEnvelope> serde,
            LadderMetrics metrics,
            LadderClock clock) {
        live.get().validate();
        return EngineTopology.build(live, handler, gate, serde, metrics, clock);
    }

    /**
     * Streams settings Ladder relies on, to put under the user's own: exactly-once by default,
     * explicit naming of every internal resource, and byte-array default serdes.
     */
    public static Properties streamsDefaults() {
        Properties props = new Properties();
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
        // Ladder has no global stores; opting in now silences the 4.x deprecation warning at every start
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        // a task reads its main and tier partitions together and needs no timestamp order across
        // them (tier records go first anyway: TierTimestampExtractor). With the default of 0 Kafka
        // Streams checks the lag of every empty tier partition, formatting a log line for each,
        // before every record (measured in a profile of the happy path), and may wait for a fetch
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        props.put(
                StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG,
                org.apache.kafka.common.serialization.Serdes.ByteArraySerde.class);
        props.put(
                StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG,
                org.apache.kafka.common.serialization.Serdes.ByteArraySerde.class);
        return props;
    }

    /**
     * {@link #streamsDefaults()} plus what these settings need of the clients: a producer that may
     * send records up to {@code topics.max-message-bytes} (the envelope around a main-topic record
     * of the largest size is larger than the producer's default 1 MiB {@code max.request.size}),
     * {@link LadderProductionExceptionHandler} guarding Ladder's own topics, and a producer
     * transaction timeout long enough for the slowest
     * attempt these settings allow. Under exactly-once a transaction stays open while the handler
     * runs; Streams' default of 10 s would let one slow call (the handler timeout defaults to 30 s)
     * fence the producer and replay the whole batch. The broker caps it at its own
     * {@code transaction.max.timeout.ms} (15 min by default).
     */
    public static Properties streamsDefaults(LadderSettings settings) {
        Properties props = streamsDefaults();
        props.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), (int)
                LadderSettings.transactionTimeoutMillis(settings));
        props.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), settings.maxMessageBytes());
        LadderProductionExceptionHandler.install(props, settings);
        return props;
    }
}
