package dev.ladder.bench;

import com.sun.net.httpserver.HttpServer;
import dev.ladder.handler.http.HttpEventHandler;
import dev.ladder.handler.http.HttpHandlerSettings;
import dev.ladder.topology.LadderSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Scenario 3: an I/O-bound handler. A local HTTP server (JDK HttpServer, 127.0.0.1, ephemeral
 * port) answers every POST after 20 ms. Ladder with its HTTP handler against a Streams app that
 * makes the same call synchronously in {@code process()}, and the Spring container calling the same
 * handler. 10,000 distinct keys.
 */
final class HttpBench {

    static final int LATENCY_MS = 20;
    static final int KEYS = 10_000;

    private final Cluster cluster;
    private final Sizes sizes;

    HttpBench(Cluster cluster, Sizes sizes) {
        this.cluster = cluster;
        this.sizes = sizes;
    }

    void run(Report report) throws Exception {
        report.section("3. I/O-bound handler: HTTP, 20 ms per call");
        int n = sizes.httpRecords();
        double ceiling = Cluster.THREADS * 1000.0 / LATENCY_MS;
        report.line(n + " records per run over " + KEYS
                + " keys, exactly-once for both Streams apps (Spring: at-least-once, "
                + Cluster.THREADS + " consumers). records/s = records / (first send → last visible in the output). "
                + "Theoretical ceiling of one call at a time per stream thread: " + Cluster.THREADS + " threads ÷ "
                + LATENCY_MS + " ms = **" + Stats.fmt(ceiling) + " records/s**.\n");
        try (SlowServer server = new SlowServer(LATENCY_MS)) {
            Map<String, HappyPathBench.Side> sides = new LinkedHashMap<>();
            sides.put("Ladder + HTTP handler", (main, out) -> {
                LadderSettings settings = Apps.ladderSettings(main, Apps.shortTiers());
                Apps.createLadderTopics(cluster, settings);
                HttpEventHandler handler =
                        new HttpEventHandler(HttpHandlerSettings.of(server.url()), Clock.systemUTC());
                var streams = Apps.startLadder(cluster, settings, handler, StreamsConfig.EXACTLY_ONCE_V2);
                return () -> {
                    Apps.stop(streams);
                    handler.close();
                };
            });
            sides.put("sync Streams baseline", (main, out) -> {
                cluster.createTopics(main, out);
                var streams = Apps.startSyncHttp(cluster, main, out, server.url(), StreamsConfig.EXACTLY_ONCE_V2);
                return () -> Apps.stop(streams);
            });
            if (sizes.peers())
                sides.put("Spring Kafka container + HTTP handler", (main, out) -> {
                    HttpEventHandler handler =
                            new HttpEventHandler(HttpHandlerSettings.of(server.url()), Clock.systemUTC());
                    AutoCloseable c = SpringPeer.start(cluster, main, out, handler, false);
                    return () -> {
                        c.close();
                        handler.close();
                    };
                });
            if (sizes.peers()) {
                sides.put("Parallel Consumer + HTTP handler", (main, out) -> {
                    HttpEventHandler handler =
                            new HttpEventHandler(HttpHandlerSettings.of(server.url()), Clock.systemUTC());
                    AutoCloseable c = ParallelConsumerPeer.start(cluster, main, out, handler);
                    return () -> {
                        c.close();
                        handler.close();
                    };
                });
            }
            Map<String, List<Double>> rates = new LinkedHashMap<>();
            for (int i = 0; i < sizes.runs(); i++) {
                for (var side : sides.entrySet()) {
                    rates.computeIfAbsent(side.getKey(), k -> new ArrayList<>()).add(once(side.getValue()));
                }
            }
            List<Double> base = rates.get("sync Streams baseline");
            List<List<String>> rows = new ArrayList<>();
            for (var e : rates.entrySet()) {
                Stats.Spread ratio =
                        report.ratio("http." + HappyPathBench.key(e.getKey()) + ".throughput", e.getValue(), base);
                Stats.Spread abs = Stats.Spread.of(e.getValue());
                rows.add(List.of(
                        e.getKey(), abs.format(""), ratio.format("×"), Stats.fmt(abs.median() / ceiling * 100) + " %"));
            }
            report.table(
                    List.of("side", "records/s", "÷ sync baseline", "of the ceiling (" + Stats.fmt(ceiling) + "/s)"),
                    rows);
            report.line("Parallel Consumer is not bound by that ceiling: it keeps up to "
                    + ParallelConsumerPeer.MAX_CONCURRENCY
                    + " calls in flight across keys (key order kept), at-least-once, no DLT, no persisted retries.\n");
            report.line(
                    "Server calls made: " + server.calls.get() + ". Ladder calls the handler on the stream thread, one "
                            + "event at a time, so it shares the baseline's ceiling; concurrency across keys would change only "
                            + "its execute step (see docs/architecture.md).\n");
        }
    }

    private double once(HappyPathBench.Side side) {
        String main = cluster.unique("http");
        String out = main + "-out";
        try (AutoCloseable app = side.start(main, out);
                CommittedReader reader = new CommittedReader(cluster.bootstrap(), List.of(out), Cluster.PARTITIONS)) {
            int n = sizes.httpRecords();
            long start = System.nanoTime();
            cluster.produce(main, "h", n, KEYS, 0);
            HappyPathBench.check(reader.awaitIds(n, Duration.ofMinutes(5)), "HTTP records");
            return n / ((reader.lastNewNanos() - start) / 1e9);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Answers 200 to every request after a fixed latency; many requests at once. */
    static final class SlowServer implements AutoCloseable {
        private final HttpServer server;
        private final ExecutorService pool = Executors.newFixedThreadPool(64);
        final AtomicLong calls = new AtomicLong();

        SlowServer(int latencyMs) {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            server.createContext("/hook", exchange -> {
                exchange.getRequestBody().readAllBytes();
                Cluster.sleep(latencyMs);
                calls.incrementAndGet();
                exchange.sendResponseHeaders(200, -1);
                exchange.close();
            });
            server.setExecutor(pool);
            server.start();
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
        }

        @Override
        public void close() {
            server.stop(0);
            pool.shutdownNow();
        }
    }
}
