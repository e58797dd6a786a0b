package dev.ladder.bench;

import dev.ladder.config.LadderConfigLoader;
import dev.ladder.policy.TopicNames;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Scenario 5: recovery. {@code ladder run} in a child JVM (class handler {@link Handlers.HoldSome})
 * holds N pending retries in a 1 h tier; it is killed with SIGKILL, its state directory deleted
 * (forcing a full restore from the changelogs), and started again. Measured: process start → the
 * first new event visible in the output. Side B is the same with 0 pending.
 */
final class RecoveryBench {

    private final Cluster cluster;
    private final Sizes sizes;

    RecoveryBench(Cluster cluster, Sizes sizes) {
        this.cluster = cluster;
        this.sizes = sizes;
    }

    record Run(double resumeSeconds, long changelogBytes) {}

    void run(Report report) throws Exception {
        int n = sizes.recoveryPending();
        report.section("5. Recovery after kill -9 with " + String.format("%,d", n) + " pending retries");
        report.line(
                "`dev.ladder.app.cli.LadderCli run --config …` in a child JVM (-Xmx384m, SerialGC), exactly-once, 1 h tier. "
                        + "Once every pending retry is in the timers store (tier offsets committed), the child is killed with "
                        + "SIGKILL, its state directory deleted, one new event produced and the child started again. "
                        + "Resume time = child process start → that event visible to a `read_committed` consumer: JVM start, "
                        + "group join, full restore, first commit. Baseline: the same with 0 pending. "
                        + sizes.recoveryRuns() + " run(s) per side.\n");
        List<Run> pending = new ArrayList<>();
        List<Run> empty = new ArrayList<>();
        for (int i = 0; i < sizes.recoveryRuns(); i++) {
            pending.add(once(n));
            empty.add(once(0));
        }
        List<Double> a = pending.stream().map(Run::resumeSeconds).toList();
        List<Double> b = empty.stream().map(Run::resumeSeconds).toList();
        Stats.Spread ratio = report.ratio("recovery.resume", a, b);
        double mb = pending.stream().mapToLong(Run::changelogBytes).average().orElse(0) / 1048576.0;
        double extra = Stats.Spread.of(a).median() - Stats.Spread.of(b).median();
        report.table(
                List.of("side", "resume (s)", "÷ 0 pending", "changelog MiB"),
                List.of(
                        List.of(
                                String.format("%,d pending", n),
                                Stats.Spread.of(a).format(" s"),
                                ratio.format("×"),
                                Stats.fmt(mb)),
                        List.of(
                                "0 pending",
                                Stats.Spread.of(b).format(" s"),
                                "1×",
                                Stats.fmt(empty.stream()
                                                .mapToLong(Run::changelogBytes)
                                                .average()
                                                .orElse(0)
                                        / 1048576.0))));
        report.line(String.format(
                "Restore cost: %.2f s more than with 0 pending for %.1f MiB of changelog, i.e. about "
                        + "**%.0f s per GiB** — extrapolated linearly from the %.1f MiB measured, not measured at 1 GiB.%n",
                extra, mb, mb > 0 ? extra / (mb / 1024) : Double.NaN, mb));
    }

    private Run once(int pending) throws Exception {
        String main = cluster.unique("recovery");
        String appId = cluster.unique("recovery-app");
        Path dir = cluster.work().resolve(appId);
        Path state = dir.resolve("state");
        Files.createDirectories(state);
        Path config = Files.writeString(dir.resolve("ladder.yaml"), """
                application-id: %s
                bootstrap-servers: "%s"
                state-dir: "%s"
                topics:
                  main: %s
                  output: true
                retry:
                  tiers:
                    - delay: 1h
                      attempts: 1
                punctuation-interval: 1s
                handler:
                  type: class
                  class: "%s"
                  timeout: 10s
                breaker:
                  enabled: false
                server:
                  port: 0
                kafka:
                  session.timeout.ms: "6000"
                  heartbeat.interval.ms: "1500"
                """.formatted(
                        appId, cluster.bootstrap(), state.toAbsolutePath(), main, Handlers.HoldSome.class.getName()));
        TopicNames topics =
                LadderConfigLoader.load(config, Map.of()).toSettings().topics();
        List<String> names = new ArrayList<>(List.of(
                topics.main(),
                topics.tier(1),
                topics.deadLetter(),
                topics.output().orElseThrow()));
        cluster.createTopics(names.toArray(String[]::new));
        cluster.produce(main, "hold", pending, Integer.MAX_VALUE, 0);
        cluster.produce(main, "warm", 1, 1, 0);
        Process first = start(config, dir.resolve("first.log"));
        try (CommittedReader out =
                new CommittedReader(cluster.bootstrap(), List.of(topics.output().orElseThrow()), Cluster.PARTITIONS)) {
            HappyPathBench.check(
                    out.awaitIds(1, Duration.ofMinutes(3)), "first child processing (see " + dir + "/first.log)");
            awaitConsumed(appId, topics.tier(1), pending, Duration.ofMinutes(10));
            first.destroyForcibly();
            first.waitFor(30, TimeUnit.SECONDS);
            org.apache.kafka.common.utils.Utils.delete(state.toFile());
            Files.createDirectories(state);
            Set<String> changelogs = cluster.admin().listTopics().names().get().stream()
                    .filter(t -> t.startsWith(appId) && t.endsWith("-changelog"))
                    .collect(Collectors.toSet());
            long bytes = cluster.topicBytes(changelogs);
            cluster.produce(main, "probe", 1, 1, 0);
            long t0 = System.nanoTime();
            Process second = start(config, dir.resolve("second.log"));
            try {
                HappyPathBench.check(
                        out.awaitIds(2, Duration.ofMinutes(10)),
                        "restarted child processing (see " + dir + "/second.log)");
                return new Run((out.lastNewNanos() - t0) / 1e9, bytes);
            } finally {
                second.destroyForcibly();
                second.waitFor(30, TimeUnit.SECONDS);
            }
        } finally {
            first.destroyForcibly();
        }
    }

    /**
     * Waits until the app has committed past the last record of every partition of {@code topic}
     * (so all tier records are in the timers store). Offsets, not counts: under exactly-once each
     * transaction leaves a marker, so the end offset runs past the last record.
     */
    private void awaitConsumed(String appId, String topic, int expected, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<Integer, Long> lastOffset = new java.util.HashMap<>();
        try (CommittedReader tier = new CommittedReader(cluster.bootstrap(), List.of(topic), Cluster.PARTITIONS)) {
            while (true) {
                tier.poll(Duration.ofMillis(100), r -> lastOffset.merge(r.partition(), r.offset(), Math::max));
                Map<TopicPartition, OffsetAndMetadata> committed = cluster.admin()
                        .listConsumerGroupOffsets(appId)
                        .partitionsToOffsetAndMetadata()
                        .get();
                boolean done = tier.count() >= expected
                        && lastOffset.entrySet().stream().allMatch(e -> {
                            OffsetAndMetadata c = committed.get(new TopicPartition(topic, e.getKey()));
                            return c != null && c.offset() > e.getValue();
                        });
                if (done) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "tier records not all consumed: " + tier.count() + " of " + expected + " seen");
                }
                Cluster.sleep(200);
            }
        }
    }

    private static Process start(Path config, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(
                java,
                "-Xmx384m",
                "-XX:+UseSerialGC",
                "-Dladder.log.level=WARN",
                "-Dladder.kafka.log.level=ERROR",
                "-cp",
                classpath(),
                "dev.ladder.app.cli.LadderCli",
                "run",
                "--config",
                config.toString());
        pb.environment().keySet().removeIf(name -> name.startsWith("LADDER_") || name.startsWith("KAFKA_"));
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        return pb.start();
    }

    /** This JVM's classpath: the loader's URLs under exec:java, else java.class.path. */
    static String classpath() {
        ClassLoader cl = RecoveryBench.class.getClassLoader();
        if (cl instanceof URLClassLoader u && u.getURLs().length > 0) {
            return Arrays.stream(u.getURLs()).map(RecoveryBench::file).collect(Collectors.joining(File.pathSeparator));
        }
        return System.getProperty("java.class.path");
    }

    private static String file(URL url) {
        try {
            return Path.of(url.toURI()).toString();
        } catch (Exception e) {
            return url.getPath();
        }
    }
}
