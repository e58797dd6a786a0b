package dev.ladder.bench;

import dev.ladder.handler.EventHandler;
import dev.ladder.kernel.LadderMetrics;
import dev.ladder.policy.BreakerSettings;
import dev.ladder.policy.LadderSettings;
import dev.ladder.policy.RetryPolicy;
import dev.ladder.policy.Tier;
import dev.ladder.topology.LadderTopology;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** The Streams applications under test: Ladder and the baselines it is compared with. */
final class Apps {

    private Apps() {}

    /** Ladder settings for main topic {@code main}: the given tiers, output on, no breaker. */
    static LadderSettings ladderSettings(String main, Tier... tiers) {
        return ladderSettings(main, LadderSettings.DEFAULT_CONCURRENCY, tiers);
    }

    /** The same with {@code concurrency} calls in flight per stream thread ({@code handler.concurrency}). */
    static LadderSettings ladderSettings(String main, int concurrency, Tier... tiers) {
        return LadderSettings.builder(main)
                .policy(RetryPolicy.of(tiers))
                .concurrency(concurrency)
                .outputTopicPattern("{main}-out")
                .punctuationInterval(Duration.ofMillis(100))
                .handlerTimeout(Duration.ofSeconds(10))
                // the scenarios measure the engine; the soak (scenario 6) measures the breaker
                .breaker(BreakerSettings.disabled())
                .build();
    }

    /** Ladder's default tiers for benchmarks that never fail: 1s and 5s. */
    static Tier[] shortTiers() {
        return new Tier[] {Tier.of(Duration.ofSeconds(1), 1), Tier.of(Duration.ofSeconds(5), 1)};
    }

    /** Creates Ladder's topics (main, tiers, DLT, output). */
    static void createLadderTopics(Cluster cluster, LadderSettings settings) {
        var t = settings.topics();
        java.util.List<String> names = new java.util.ArrayList<>();
        names.add(t.main());
        for (int i = 1; i <= t.tiers().size(); i++) {
            names.add(t.tier(i));
        }
        names.add(t.deadLetter());
        names.add(t.output().orElseThrow());
        cluster.createTopics(names.toArray(String[]::new));
    }

    static KafkaStreams startLadder(Cluster cluster, LadderSettings settings, EventHandler handler, String guarantee) {
        Topology topology = LadderTopology.build(settings, handler, LadderMetrics.noop());
        // what the deployable app runs with: the transaction timeout sized for the handler timeout
        Properties props = LadderTopology.streamsDefaults(settings);
        props.putAll(cluster.streamsProps(cluster.unique("ladder-app"), guarantee));
        return start(topology, props);
    }

    /** The plain pass-through: source → sink, nothing else. */
    static KafkaStreams startPassThrough(Cluster cluster, String in, String out, String guarantee) {
        Topology topology = new Topology();
        topology.addSource("source", new ByteArrayDeserializer(), new ByteArrayDeserializer(), in);
        topology.addSink("sink", out, new ByteArraySerializer(), new ByteArraySerializer(), "source");
        return start(topology, cluster.streamsProps(cluster.unique("passthrough-app"), guarantee));
    }

    /** The synchronous baseline: POSTs every record to {@code url} inside {@code process()}, then forwards it. */
    static KafkaStreams startSyncHttp(Cluster cluster, String in, String out, URI url, String guarantee) {
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Topology topology = new Topology();
        topology.addSource("source", new ByteArrayDeserializer(), new ByteArrayDeserializer(), in);
        topology.addProcessor(
                "call",
                () -> new Processor<byte[], byte[], byte[], byte[]>() {
                    private ProcessorContext<byte[], byte[]> context;

                    @Override
                    public void init(ProcessorContext<byte[], byte[]> ctx) {
                        this.context = ctx;
                    }

                    @Override
                    public void process(Record<byte[], byte[]> record) {
                        try {
                            HttpResponse<Void> r = client.send(
                                    HttpRequest.newBuilder(url)
                                            .timeout(Duration.ofSeconds(10))
                                            .POST(HttpRequest.BodyPublishers.ofByteArray(record.value()))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding());
                            if (r.statusCode() >= 300) {
                                throw new IllegalStateException("status " + r.statusCode());
                            }
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IllegalStateException(e);
                        }
                        context.forward(record);
                    }
                },
                "source");
        topology.addSink("sink", out, new ByteArraySerializer(), new ByteArraySerializer(), "call");
        return start(topology, cluster.streamsProps(cluster.unique("synchttp-app"), guarantee));
    }

    private static KafkaStreams start(Topology topology, Properties props) {
        KafkaStreams streams = new KafkaStreams(topology, props);
        streams.start();
        Cluster.awaitRunning(streams, Duration.ofSeconds(90));
        return streams;
    }

    static void stop(KafkaStreams streams) {
        streams.close(Duration.ofSeconds(30));
        streams.cleanUp();
    }
}
