package dev.ladder.topology.internals;

import dev.ladder.avro.RetryEnvelope;
import dev.ladder.downstream.DownstreamGate;
import dev.ladder.handler.EventHandler;
import dev.ladder.kernel.LadderClock;
import dev.ladder.kernel.LadderMetrics;
import dev.ladder.policy.LadderSettings;
import dev.ladder.policy.LiveSettings;
import dev.ladder.policy.TopicConfigs;
import dev.ladder.policy.TopicNames;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;

/**
 * The engine's one public type: it wires Ladder's sub-topology (sources, the retry processor with
 * the stores it owns, sinks) for {@code LadderTopology}, the public face. Everything else in this
 * package is package-private, so the engine can change freely behind that face.
 */
public final class EngineTopology {

    private EngineTopology() {}

    /**
     * The topology for settings already validated.
     *
     * @param live the settings, read live by every task
     * @param handler the processing step, shared by every task; the caller closes it
     * @param gate the circuit breaker and rate limit shared by every task of this instance
     * @param serde the serde of tier and dead-letter record values
     * @param metrics where the meters go
     * @param clock the time every task reads, or null: each task follows its context's time
     */
    public static Topology build(
            LiveSettings live,
            EventHandler handler,
            DownstreamGate gate,
            Serde<RetryEnvelope> serde,
            LadderMetrics metrics,
            LadderClock clock) {
        LadderSettings settings = live.get();
        TopicNames topics = settings.topics();
        Topology topology = new Topology();
        topology.addSource(
                NodeNames.mainSource(), new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.main());
        String[] parents = new String[topics.tiers().size() + 1];
        parents[0] = NodeNames.mainSource();
        for (int i = 1; i <= topics.tiers().size(); i++) {
            topology.addSource(
                    // a tier topic without a committed offset is read from its start: a retry is never skipped
                    AutoOffsetReset.earliest(),
                    NodeNames.tierSource(i),
                    // tier records first: their timers must exist before a main-topic backlog is through
                    new TierTimestampExtractor(),
                    new ByteArrayDeserializer(),
                    new ByteArrayDeserializer(),
                    topics.tier(i));
            parents[i] = NodeNames.tierSource(i);
        }
        topology.addProcessor(
                NodeNames.PROCESSOR,
                new RetryProcessorSupplier(
                        live, handler, gate, serde, metrics, TopicConfigs.changelog(settings), clock),
                parents);
        for (int i = 1; i <= topics.tiers().size(); i++) {
            addSink(topology, NodeNames.tierSink(i), topics.tier(i));
        }
        addSink(topology, NodeNames.DLT_SINK, topics.deadLetter());
        topics.output().ifPresent(output -> addSink(topology, NodeNames.OUTPUT_SINK, output));
        return topology;
    }

    private static void addSink(Topology topology, String name, String topic) {
        topology.addSink(
                name,
                topic,
                new ByteArraySerializer(),
                new Outbound.ValueSerializer(),
                new Outbound.Partitioner(),
                NodeNames.PROCESSOR);
    }
}
