package dev.ladder.bench;

import dev.ladder.policy.LadderSettings;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** The report's header: machine, versions, settings. */
final class Machine {

    private Machine() {}

    static void header(Report report, Sizes sizes, String broker) {
        report.line("# Ladder benchmarks");
        report.line("");
        report.line(
                "Written by `dev.ladder.bench.BenchMain` (module `bench/`); every number below was measured in the run "
                        + "this file records. Ratios are A ÷ B per run pair (A and B run alternately: A B A B …), reported as "
                        + "median (min – max).");
        report.line("");
        report.line(
                "Run it: `mvn -q -pl bench -am package -DskipTests && java -jar bench/target/ladder-bench-0.1.0-SNAPSHOT-all.jar "
                        + "--quick` (smaller sizes; `--full` for the sizes below, `--peers` to add the peers in quick mode, "
                        + "`--bootstrap host:port` for an existing cluster, `--out FILE`, `--only 1,3`), or "
                        + "`mvn -q -pl bench -am exec:java -Dexec.args=\"--quick\"`. The CI smoke test `BenchSmokeIT` "
                        + "(failsafe: `mvn -pl bench -am verify`) runs scenarios 1–5 at tiny sizes and `SoakSmokeIT` runs "
                        + "scenario 6 (the soak) at 600 events; both write under `bench/target/`. Scenario 7 (the burst, "
                        + "about 8 minutes in full) runs only when asked for or in a whole run. The chart "
                        + "`docs/benchmarks.png` is drawn by the same run.");
        report.line("");
        report.table(
                java.util.List.of("what", "value"),
                java.util.List.of(
                        java.util.List.of("mode", sizes.mode() + " (" + sizes.runs() + " runs per side)"),
                        java.util.List.of(
                                "CPUs (nproc)",
                                String.valueOf(Runtime.getRuntime().availableProcessors())),
                        java.util.List.of("memory", memory()),
                        java.util.List.of(
                                "JDK",
                                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version")),
                        java.util.List.of("heap (-Xmx)", Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB"),
                        java.util.List.of(
                                "JVM flags",
                                String.join(
                                        " ",
                                        ManagementFactory.getRuntimeMXBean().getInputArguments())),
                        java.util.List.of(
                                "Kafka clients / Streams / broker",
                                org.apache.kafka.common.utils.AppInfoParser.getVersion()),
                        java.util.List.of(
                                "Spring Kafka / Parallel Consumer (peers)",
                                "see `spring-kafka.version` and "
                                        + "`parallel-consumer.version` in the root pom (the shaded jar drops their manifests)"),
                        java.util.List.of("broker", broker),
                        java.util.List.of("topics", Cluster.PARTITIONS + " partitions each, replication 1"),
                        java.util.List.of(
                                "Streams",
                                Cluster.THREADS + " stream threads; Ladder: per-key ordering, output topic on, "
                                        + "punctuation every 100 ms, no breaker, default commit interval (100 ms under EOS, 30 s ALOS), "
                                        + "`handler.concurrency` " + LadderSettings.DEFAULT_CONCURRENCY
                                        + " per stream thread (the default) unless a scenario says otherwise"),
                        java.util.List.of("record", "100-byte value, short key, `event-id` header")));
        report.line("The machine is shared (2 cores, other work may run beside the benchmark): read the ratios, "
                + "which compare runs made moments apart, more than the absolute rates.");
    }

    private static String memory() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (l.startsWith("MemTotal:")) {
                    long kb = Long.parseLong(l.replaceAll("[^0-9]", ""));
                    return String.format("%.1f GiB", kb / 1024.0 / 1024.0);
                }
            }
        } catch (Exception e) {
            // not Linux
        }
        return "unknown";
    }
}
