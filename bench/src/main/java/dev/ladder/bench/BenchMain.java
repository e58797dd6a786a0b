package dev.ladder.bench;

import dev.ladder.app.embedded.EmbeddedKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the benchmarks, Ladder beside its baselines in one run, and writes the report.
 *
 * <pre>
 * --quick | --full | --smoke   sizes (default: quick)
 * --peers                      also run the peers (on in --full)
 * --bootstrap host:port        use this cluster instead of starting an embedded broker
 * --out FILE                   report path (default docs/benchmarks.md)
 * --only 1,2,4                 run only these scenarios (6: the soak, breaker on / off / outage;
 *                              7: the burst with failures against Parallel Consumer)
 * </pre>
 */
public final class BenchMain {

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        Report report = run(args);
        if (!report.failures.isEmpty()) {
            System.err.println("failed scenarios: " + report.failures);
            System.exit(1);
        }
        System.exit(0);
    }

    /** Runs the benchmarks and returns the report (also written to --out). */
    public static Report run(String... args) throws Exception {
        System.setProperty("ladder.log.level", System.getProperty("ladder.log.level", "WARN"));
        System.setProperty("ladder.kafka.log.level", System.getProperty("ladder.kafka.log.level", "ERROR"));
        Sizes sizes = Sizes.quick();
        String bootstrap = null;
        Path out = Path.of("docs/benchmarks.md");
        List<String> only = List.of("1", "2", "3", "4", "5", "6", "7");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> sizes = Sizes.quick();
                case "--full" -> sizes = Sizes.full();
                case "--smoke" -> sizes = Sizes.smoke();
                case "--peers" -> sizes = sizes.withPeers();
                case "--bootstrap" -> bootstrap = args[++i];
                case "--out" -> out = Path.of(args[++i]);
                case "--only" -> only = List.of(args[++i].split(","));
                default ->
                    throw new IllegalArgumentException("unknown argument " + args[i]
                            + " (use --quick | --full | --smoke, --bootstrap, --out, --only)");
            }
        }
        Path work = Files.createTempDirectory("ladder-bench-");
        long start = System.nanoTime();
        Report report = new Report();
        EmbeddedKafka kafka = bootstrap == null ? new EmbeddedKafka().start() : null;
        try (Cluster cluster = new Cluster(bootstrap != null ? bootstrap : kafka.bootstrapServers(), work)) {
            Machine.header(
                    report, sizes, bootstrap == null ? "embedded single-node KRaft broker in the same JVM" : bootstrap);
            final Sizes sz = sizes;
            List<Scenario> scenarios = new ArrayList<>();
            scenarios.add(new Scenario("1", () -> new HappyPathBench(cluster, sz).run(report)));
            scenarios.add(new Scenario("2", () -> new RetryBench(cluster, sz).run(report)));
            scenarios.add(new Scenario("3", () -> new HttpBench(cluster, sz).run(report)));
            scenarios.add(new Scenario("4", () -> new PendingTimersBench(work, sz).run(report)));
            scenarios.add(new Scenario("5", () -> new RecoveryBench(cluster, sz).run(report)));
            scenarios.add(new Scenario("6", () -> new SoakBench(cluster, sz.soakEvents(), sz.soakKeys()).run(report)));
            scenarios.add(new Scenario("7", () -> new BurstBench(cluster, sz).run(report)));
            for (Scenario s : scenarios) {
                if (!only.contains(s.id())) {
                    continue;
                }
                long t0 = System.nanoTime();
                System.out.println("[bench] scenario " + s.id() + " ...");
                try {
                    s.body().run();
                } catch (Exception | AssertionError e) {
                    e.printStackTrace();
                    report.failures.add(s.id() + ": " + e);
                    report.line("\n**Scenario " + s.id() + " failed in this run:** `" + e + "`\n");
                }
                System.out.printf("[bench] scenario %s took %.0f s%n", s.id(), (System.nanoTime() - t0) / 1e9);
            }
        } finally {
            if (kafka != null) {
                kafka.close();
            }
        }
        report.line(String.format(
                "%n---%nWhole run: %.0f s, finished %s.%n", (System.nanoTime() - start) / 1e9, Instant.now()));
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, report.text());
        System.out.println("[bench] report written to " + out.toAbsolutePath());
        Chart.write(report, out.toAbsolutePath().getParent().resolve("benchmarks.png"));
        deleteQuietly(work);
        return report;
    }

    interface Body {
        void run() throws Exception;
    }

    record Scenario(String id, Body body) {}

    private static void deleteQuietly(Path dir) {
        try {
            org.apache.kafka.common.utils.Utils.delete(dir.toFile());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e);
        }
    }

    static Duration seconds(double s) {
        return Duration.ofMillis((long) (s * 1000));
    }
}
