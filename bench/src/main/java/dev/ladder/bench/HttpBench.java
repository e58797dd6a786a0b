package dev.ladder.bench;

import dev.ladder.handler.Event;
import dev.ladder.handler.Outcome;
import dev.ladder.handler.http.HttpEventHandler;
import dev.ladder.handler.http.HttpHandlerSettings;
import dev.ladder.policy.LadderSettings;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Scenario 3: an I/O-bound handler. A local HTTP server (JDK HttpServer, 127.0.0.1, ephemeral
 * port) answers every POST after 20 ms. Ladder with its asynchronous HTTP handler at several
 * {@code handler.concurrency} values, against a Streams app that makes the same call synchronously
 * in {@code process()}, the Spring container and Parallel Consumer calling the same handler. 10,000
 * distinct keys, so per-key ordering never holds a call back.
 */
final class HttpBench {

    static final int LATENCY_MS = 20;
    static final int KEYS = 10_000;
    /**
     * Ladder's concurrency for the comparison with Parallel Consumer: per stream thread, so {@value}
     * × {@link Cluster#THREADS} threads = PC's {@link ParallelConsumerPeer#MAX_CONCURRENCY} in all.
     */
    static final int MATCHED_CONCURRENCY = ParallelConsumerPeer.MAX_CONCURRENCY / Cluster.THREADS;

    private static final String BASELINE = "sync Streams baseline";
    private static final String PC = "Parallel Consumer + HTTP handler";
    private static final String BARE = "HTTP handler alone, no Kafka";

    private final Cluster cluster;
    private final Sizes sizes;

    HttpBench(Cluster cluster, Sizes sizes) {
        this.cluster = cluster;
        this.sizes = sizes;
    }

    /** Ladder's most calls in flight in all: each thread's budget is split over its tasks, at least one each. */
    static int ladderInFlight(int concurrency) {
        int tasksPerThread = Math.max(1, Cluster.PARTITIONS / Cluster.THREADS);
        return Cluster.THREADS * tasksPerThread * Math.max(1, concurrency / tasksPerThread);
    }

    static String ladderSide(int concurrency) {
        return "Ladder + HTTP handler, concurrency " + concurrency;
    }

    void run(Report report) throws Exception {
        report.section("3. I/O-bound handler: HTTP, 20 ms per call");
        int n = records();
        double ceiling = Cluster.THREADS * 1000.0 / LATENCY_MS;
        report.line(n + " records per run over " + KEYS
                + " keys (all distinct: per-key order never holds a call back), exactly-once for both Streams apps "
                + "(Spring: at-least-once, " + Cluster.THREADS
                + " consumers; Parallel Consumer: at-least-once, key order). "
                + "records/s = records / (first send → last visible to a `read_committed` consumer of the output). "
                + "The server (`BlockingHttpServer`: blocking sockets, a thread per connection) answers each POST after "
                + LATENCY_MS + " ms. "
                + "Ceiling of one call at a time per stream thread: " + Cluster.THREADS + " threads ÷ "
                + LATENCY_MS + " ms = **" + Stats.fmt(ceiling) + " records/s**. Every side runs once per round, "
                + "rounds repeated " + sizes.runs() + " times"
                + (sizes.warmup() ? " after one unmeasured warm-up round" : "") + "; each ratio is per round.\n");
        try (BlockingHttpServer server = new BlockingHttpServer(LATENCY_MS, (key, now) -> 200)) {
            Map<String, HappyPathBench.Side> sides = new LinkedHashMap<>();
            List<Integer> sweep = new ArrayList<>(sizes.concurrencySweep());
            sweep.remove((Integer) MATCHED_CONCURRENCY);
            sweep.add(0, MATCHED_CONCURRENCY);
            sides.put(ladderSide(MATCHED_CONCURRENCY), ladder(server, MATCHED_CONCURRENCY));
            sides.put(BASELINE, (main, out) -> {
                cluster.createTopics(main, out);
                var streams = Apps.startSyncHttp(cluster, main, out, server.url(), StreamsConfig.EXACTLY_ONCE_V2);
                return () -> Apps.stop(streams);
            });
            // -Dhttp.matched-only=true: the budget-matched Ladder, the baseline and PC only (for A/B runs)
            boolean matchedOnly = Boolean.getBoolean("http.matched-only");
            if (matchedOnly) {
                sweep.retainAll(List.of(MATCHED_CONCURRENCY));
            }
            if (sizes.peers()) {
                sides.put(PC, (main, out) -> {
                    HttpEventHandler handler =
                            new HttpEventHandler(HttpHandlerSettings.of(server.url()), Clock.systemUTC());
                    return ParallelConsumerPeer.start(cluster, main, out, handler);
                });
                if (!matchedOnly) {
                    sides.put("Spring Kafka container + HTTP handler", (main, out) -> {
                        HttpEventHandler handler =
                                new HttpEventHandler(HttpHandlerSettings.of(server.url()), Clock.systemUTC());
                        return SpringPeer.start(cluster, main, out, handler, false);
                    });
                }
            }
            for (int c : sweep.subList(1, sweep.size())) {
                sides.put(ladderSide(c), ladder(server, c));
            }
            Map<String, List<Double>> rates = new LinkedHashMap<>();
            if (sizes.warmup()) {
                sides.values().forEach(this::once);
                bare(server);
            }
            for (int i = 0; i < sizes.runs(); i++) {
                for (var side : sides.entrySet()) {
                    rates.computeIfAbsent(side.getKey(), k -> new ArrayList<>()).add(once(side.getValue()));
                }
                rates.computeIfAbsent(BARE, k -> new ArrayList<>()).add(bare(server));
            }
            List<Double> base = rates.get(BASELINE);
            List<Double> pc = rates.get(PC);
            List<Double> matched = rates.get(ladderSide(MATCHED_CONCURRENCY));
            // the headline ratio keeps its key: Ladder at the budget matched with PC ÷ the sync baseline
            report.ratio("http.ladder-http-handler.throughput", matched, base);
            List<List<String>> rows = new ArrayList<>();
            for (String name : List.of(
                    ladderSide(MATCHED_CONCURRENCY), BASELINE, PC, "Spring Kafka container + HTTP handler", BARE)) {
                if (!rates.containsKey(name)) {
                    continue;
                }
                List<Double> r = rates.get(name);
                String budget = name.equals(BASELINE) || name.startsWith("Spring")
                        ? Cluster.THREADS + " (one per thread / consumer)"
                        : name.equals(PC) || name.equals(BARE)
                                ? ParallelConsumerPeer.MAX_CONCURRENCY + " (`maxConcurrency`)"
                                : ladderInFlight(MATCHED_CONCURRENCY) + " (" + MATCHED_CONCURRENCY + " per thread × "
                                        + Cluster.THREADS + ")";
                rows.add(List.of(
                        name.startsWith("Ladder") ? "Ladder + HTTP handler" : name,
                        budget,
                        Stats.Spread.of(r).format(""),
                        report.ratio("http." + HappyPathBench.key(name) + ".vs-sync", r, base)
                                .format("×"),
                        pc == null
                                ? "–"
                                : report.ratio("http." + HappyPathBench.key(name) + ".vs-pc", r, pc)
                                        .format("×"),
                        Stats.fmt(Stats.Spread.of(r).median() / ceiling * 100) + " %"));
            }
            report.table(
                    List.of(
                            "side",
                            "calls in flight at most",
                            "records/s",
                            "÷ sync baseline",
                            "÷ Parallel Consumer",
                            "of the ceiling (" + Stats.fmt(ceiling) + "/s)"),
                    rows);
            report.line("*" + BARE + "*: the same `HttpEventHandler` (`handleAsync`) driven by a loop that keeps "
                    + ParallelConsumerPeer.MAX_CONCURRENCY + " calls in flight, " + records()
                    + " calls, no Kafka: what the HTTP client and this server manage on this machine at that budget, "
                    + "the ceiling for every side above.\n");
            report.line("Same concurrency budget: Ladder's `handler.concurrency` is per stream thread, so "
                    + MATCHED_CONCURRENCY + " × " + Cluster.THREADS + " threads = "
                    + ladderInFlight(MATCHED_CONCURRENCY)
                    + " calls in flight in all, against Parallel Consumer's `maxConcurrency` "
                    + ParallelConsumerPeer.MAX_CONCURRENCY + " (one instance). Ladder runs exactly-once (a commit "
                    + "barrier finishes the calls in flight before each commit, every 100 ms); Parallel Consumer runs "
                    + "at-least-once (periodic async commits), with no DLT and no persisted retries.\n");
            sweepTable(report, rates, sweep, base);
            report.line("Server calls made: " + server.calls.get() + ".\n");
        }
    }

    private void sweepTable(Report report, Map<String, List<Double>> rates, List<Integer> sweep, List<Double> base) {
        if (sweep.size() < 2) {
            return;
        }
        List<Integer> sorted = sweep.stream().sorted().toList();
        List<Double> lowest = rates.get(ladderSide(sorted.get(0)));
        report.line("**Ladder's `handler.concurrency`** (the same rounds as above; default "
                + LadderSettings.DEFAULT_CONCURRENCY + "). Each stream thread runs "
                + Cluster.PARTITIONS / Cluster.THREADS
                + " tasks and splits its budget evenly among them, at least one call each, so the most calls in flight "
                + "in all is " + Cluster.THREADS + " threads × " + Cluster.PARTITIONS / Cluster.THREADS
                + " tasks × max(1, concurrency ÷ " + Cluster.PARTITIONS / Cluster.THREADS + "):\n");
        List<List<String>> rows = new ArrayList<>();
        for (int c : sorted) {
            List<Double> r = rates.get(ladderSide(c));
            int inFlight = ladderInFlight(c);
            rows.add(List.of(
                    String.valueOf(c),
                    String.valueOf(inFlight),
                    Stats.Spread.of(r).format(""),
                    report.ratio("http.ladder-c" + c + ".vs-sync", r, base).format("×"),
                    report.ratio("http.ladder-c" + c + ".vs-c" + sorted.get(0), r, lowest)
                            .format("×"),
                    Stats.fmt(Stats.Spread.of(r).median() / (inFlight * 1000.0 / LATENCY_MS) * 100) + " %"));
        }
        report.table(
                List.of(
                        "handler.concurrency (per thread)",
                        "calls in flight at most",
                        "records/s",
                        "÷ sync baseline",
                        "÷ concurrency " + sorted.get(0),
                        "of its own ceiling (in flight ÷ 20 ms)"),
                rows);
    }

    /** The HTTP handler alone: {@value ParallelConsumerPeer#MAX_CONCURRENCY} calls in flight, no Kafka. */
    private double bare(BlockingHttpServer server) throws Exception {
        HttpEventHandler handler = new HttpEventHandler(HttpHandlerSettings.of(server.url()), Clock.systemUTC());
        int n = records();
        Semaphore slots = new Semaphore(ParallelConsumerPeer.MAX_CONCURRENCY);
        AtomicLong failed = new AtomicLong();
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            slots.acquire();
            byte[] value = new byte[100];
            handler.handleAsync(new Event(
                            "bare-" + i,
                            ("k" + i).getBytes(StandardCharsets.UTF_8),
                            value,
                            new RecordHeaders(),
                            "bare",
                            0,
                            i,
                            System.currentTimeMillis(),
                            1,
                            0,
                            List.of()))
                    .whenComplete((outcome, e) -> {
                        if (e != null || !(outcome instanceof Outcome.Success)) {
                            failed.incrementAndGet();
                        }
                        slots.release();
                    });
        }
        slots.acquire(ParallelConsumerPeer.MAX_CONCURRENCY);
        double rate = n / ((System.nanoTime() - start) / 1e9);
        HappyPathBench.check(failed.get() == 0, failed.get() + " bare HTTP calls failed");
        return rate;
    }

    private HappyPathBench.Side ladder(BlockingHttpServer server, int concurrency) {
        return (main, out) -> {
            LadderSettings settings = Apps.ladderSettings(main, concurrency, Apps.shortTiers());
            Apps.createLadderTopics(cluster, settings);
            HttpEventHandler handler = new HttpEventHandler(HttpHandlerSettings.of(server.url()), Clock.systemUTC());
            var streams = Apps.startLadder(cluster, settings, handler, StreamsConfig.EXACTLY_ONCE_V2);
            return () -> {
                Apps.stop(streams);
                handler.close();
            };
        };
    }

    private double once(HappyPathBench.Side side) {
        String main = cluster.unique("http");
        String out = main + "-out";
        try (AutoCloseable app = side.start(main, out);
                CommittedReader reader = new CommittedReader(cluster.bootstrap(), List.of(out), Cluster.PARTITIONS)) {
            int n = records();
            long start = System.nanoTime();
            cluster.produce(main, "h", n, KEYS, 0);
            HappyPathBench.check(reader.awaitIds(n, Duration.ofMinutes(5)), "HTTP records");
            return n / ((reader.lastNewNanos() - start) / 1e9);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Records per run: the mode's size, or {@code -Dhttp.records=N} for longer A/B runs. */
    private int records() {
        return Integer.getInteger("http.records", sizes.httpRecords());
    }
}
