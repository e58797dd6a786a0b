package dev.ladder.bench;

import dev.ladder.handler.EventHandler;
import dev.ladder.policy.LadderSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Scenario 1: the happy path with a no-op handler. Ladder against a plain pass-through Streams app
 * (same guarantee, partitions and threads), and Spring Kafka's listener container (at-least-once
 * only), alternating A B C A B C. A saturating phase gives records/s; a paced phase gives the
 * end-to-end latency (producer send → visible to a read_committed consumer).
 */
final class HappyPathBench {

    /** One measured run of one side. */
    record Run(double perSecond, double p50Ms, double p99Ms) {}

    /** A side under test: starts on (main topic, output topic) and returns what stops it. */
    interface Side {
        AutoCloseable start(String main, String out);
    }

    private final Cluster cluster;
    private final Sizes sizes;

    HappyPathBench(Cluster cluster, Sizes sizes) {
        this.cluster = cluster;
        this.sizes = sizes;
    }

    void run(Report report) {
        report.section("1. Happy path, no-op handler");
        report.line("Saturating phase: " + records()
                + " records sent as fast as one producer goes (1,000 keys); "
                + "records/s = records / (first send → last record visible to a `read_committed` consumer of the output). "
                + "Latency phase: " + sizes.latencyRecords() + " more records paced at " + sizes.latencyRate()
                + "/s; latency = send → visible. Each run starts a fresh app on fresh topics. "
                + "Median (min – max) over " + sizes.runs() + " runs, sides alternating"
                + (sizes.warmup() ? ", after one unmeasured warm-up run of every side" : "") + ".\n");
        for (String guarantee : !sizes.atLeastOnce()
                ? List.of(StreamsConfig.EXACTLY_ONCE_V2)
                : List.of(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE)) {
            Map<String, Side> sides = new java.util.LinkedHashMap<>();
            sides.put("Ladder", (main, out) -> startLadder(main, guarantee, new Handlers.AsyncNoop()));
            sides.put(
                    "Ladder, synchronous no-op (handler pool)",
                    (main, out) -> startLadder(main, guarantee, new Handlers.Noop()));
            sides.put("pass-through Streams", (main, out) -> passThrough(main, out, guarantee));
            if (guarantee.equals(StreamsConfig.AT_LEAST_ONCE) && sizes.peers()) {
                sides.put(
                        "Spring Kafka container",
                        (main, out) -> SpringPeer.start(cluster, main, out, new Handlers.Noop(), false));
                sides.put(
                        "Parallel Consumer (key order)",
                        (main, out) -> ParallelConsumerPeer.start(cluster, main, out, new Handlers.Noop()));
            }
            // -Dhappy.only=exactly-once/Ladder (guarantee/side) runs one side, for a profile
            String only = System.getProperty("happy.only");
            if (only != null) {
                String[] parts = only.split("/", 2);
                if (!guarantee.startsWith(parts[0].replace('-', '_'))) {
                    continue;
                }
                // the pass-through stays: every ratio is against it
                sides.keySet()
                        .removeIf(side ->
                                parts.length > 1 && !side.equals(parts[1]) && !side.equals("pass-through Streams"));
            }
            Map<String, List<Run>> runs = measure(sides);
            String g = guarantee.equals(StreamsConfig.AT_LEAST_ONCE) ? "at-least-once" : "exactly-once v2";
            List<List<String>> rows = new ArrayList<>();
            List<Double> base = perSecond(runs.get("pass-through Streams"));
            for (var e : runs.entrySet()) {
                List<Double> ps = perSecond(e.getValue());
                Stats.Spread ratio = report.ratio("happy." + key(g) + "." + key(e.getKey()) + ".throughput", ps, base);
                rows.add(List.of(
                        e.getKey(),
                        Stats.Spread.of(ps).format(""),
                        ratio.format("×"),
                        Stats.Spread.of(col(e.getValue(), Run::p50Ms)).format(" ms"),
                        Stats.Spread.of(col(e.getValue(), Run::p99Ms)).format(" ms")));
            }
            report.line("**" + g + "**\n");
            report.table(List.of("side", "records/s", "÷ pass-through", "latency p50", "latency p99"), rows);
        }
        report.line("*Ladder* runs the no-op as an `AsyncEventHandler` whose stage is complete when it returns, "
                + "so each call is recorded on the spot; *Ladder, synchronous no-op* runs it as a plain `EventHandler`, "
                + "which Ladder always calls on its handler pool (a thread hand-off per call). Under at-least-once "
                + "Ladder writes an event's finished entry only after the commit that flushed its output "
                + "(every 30 s by default), so that write falls outside the saturating phase.\n");
        report.line("Parallel Consumer runs at-least-once (periodic async commits), key order, up to "
                + ParallelConsumerPeer.MAX_CONCURRENCY + " records in flight, one instance.\n");
        report.line("Spring Kafka runs at-least-once only: it has no exactly-once hand-off between a consumed record, "
                + "its output and a retry/DLT record without a transaction manager (not set up here). "
                + "Its retries are blocking (see scenario 2); it keeps per-partition order.\n");
    }

    static String key(String s) {
        return s.toLowerCase().replaceAll("[^a-z0-9]+", "-");
    }

    private AutoCloseable startLadder(String main, String guarantee, EventHandler handler) {
        LadderSettings settings = Apps.ladderSettings(main, Apps.shortTiers());
        Apps.createLadderTopics(cluster, settings);
        var streams = Apps.startLadder(cluster, settings, handler, guarantee);
        return () -> Apps.stop(streams);
    }

    private AutoCloseable passThrough(String main, String out, String guarantee) {
        cluster.createTopics(main, out);
        var streams = Apps.startPassThrough(cluster, main, out, guarantee);
        return () -> Apps.stop(streams);
    }

    private Map<String, List<Run>> measure(Map<String, Side> sides) {
        Map<String, List<Run>> runs = new java.util.LinkedHashMap<>();
        if (sizes.warmup()) {
            sides.values().forEach(this::once);
        }
        for (int i = 0; i < sizes.runs(); i++) {
            for (var side : sides.entrySet()) {
                runs.computeIfAbsent(side.getKey(), k -> new ArrayList<>()).add(once(side.getValue()));
            }
        }
        return runs;
    }

    private Run once(Side side) {
        String main = cluster.unique("happy");
        String out = main + "-out";
        try (AutoCloseable app = side.start(main, out);
                CommittedReader reader = new CommittedReader(cluster.bootstrap(), List.of(out), Cluster.PARTITIONS)) {
            int n = records();
            long start = System.nanoTime();
            Thread producer = new Thread(() -> cluster.produce(main, "e", n, 1_000, 0), "bench-producer");
            producer.start();
            check(reader.awaitIds(n, Duration.ofMinutes(5)), "happy path records");
            producer.join();
            double perSecond = n / ((reader.lastNewNanos() - start) / 1e9);
            reader.resetLatencies();
            // the paced producer runs beside the reader: latency is send → first poll that sees it
            Thread paced = new Thread(
                    () -> cluster.produce(main, "p", sizes.latencyRecords(), 1_000, sizes.latencyRate()),
                    "bench-paced");
            paced.start();
            check(reader.awaitIds(n + sizes.latencyRecords(), Duration.ofMinutes(2)), "latency records");
            paced.join();
            List<Long> lat = reader.latenciesNanos();
            return new Run(perSecond, Stats.percentile(lat, 50) / 1e6, Stats.percentile(lat, 99) / 1e6);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("timed out waiting for " + what);
        }
    }

    static List<Double> perSecond(List<Run> runs) {
        return col(runs, Run::perSecond);
    }

    static <T> List<Double> col(List<T> runs, Function<T, Double> f) {
        return runs.stream().map(f).toList();
    }

    /** Records per saturating run: the mode's size, or {@code -Dhappy.records=N} for longer A/B runs. */
    private int records() {
        return Integer.getInteger("happy.records", sizes.happyRecords());
    }
}
