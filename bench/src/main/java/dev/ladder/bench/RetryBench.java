package dev.ladder.bench;

import dev.ladder.kernel.LadderHeaders;
import dev.ladder.policy.LadderSettings;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Scenario 2: 10 % transient failures, tiers of 1 s and 5 s (half of the failing events fail
 * their first retry too, so both tiers run). Goodput against the same Ladder with no failures,
 * and retry lateness from the handler's own clock: call time of attempt n+1 minus the due time
 * Ladder wrote in the {@code ladder-due-time} header of the tier record after attempt n.
 */
final class RetryBench {

    private static final long[] TIERS_MS = {1_000, 5_000};

    private final Cluster cluster;
    private final Sizes sizes;

    RetryBench(Cluster cluster, Sizes sizes) {
        this.cluster = cluster;
        this.sizes = sizes;
    }

    record Run(double goodput, List<Long> latenessMs, long early) {}

    void run(Report report) {
        report.section("2. 10 % transient failures, tiers 1 s and 5 s");
        int n = sizes.retryRecords();
        report.line(
                n + " records per run (1,000 keys), exactly-once for Ladder. Event ids chosen by hash fail attempt 1 "
                        + "(~10 %) and half of those fail attempt 2 as well, so they wait 1 s, then 5 s. Goodput = records that "
                        + "succeeded ÷ (first send → last one visible in the output), tails included: with small runs the 6 s of "
                        + "tier delays dominate it. Lateness = handler call time − `ladder-due-time` of the tier record "
                        + "(same JVM clock); *early* = a call before its due time.\n");
        List<Run> flaky = new ArrayList<>();
        List<Run> clean = new ArrayList<>();
        List<Run> spring = new ArrayList<>();
        List<Run> pc = new ArrayList<>();
        for (int i = 0; i < sizes.runs(); i++) {
            flaky.add(ladder(10));
            clean.add(ladder(0));
            if (sizes.peers()) {
                spring.add(peer(
                        10, "retry-spring", (main, out, h) -> SpringPeer.start(cluster, main, out, h, true, TIERS_MS)));
                pc.add(peer(
                        10, "retry-pc", (main, out, h) -> ParallelConsumerPeer.start(cluster, main, out, h, TIERS_MS)));
            }
        }
        List<Double> base = goodput(clean);
        Stats.Spread lr = report.ratio("retry.ladder.goodput", goodput(flaky), base);
        Stats.Spread sr = spring.isEmpty() ? null : report.ratio("retry.spring.goodput", goodput(spring), base);
        long early = flaky.stream().mapToLong(Run::early).sum();
        report.numbers.put("retry.ladder.early", (double) early);
        List<List<String>> rows = new ArrayList<>();
        rows.add(row("Ladder, 0 % failures (baseline)", clean, Stats.Spread.of(List.of(1.0, 1.0, 1.0)), "exactly"));
        rows.add(row("Ladder, 10 % failures", flaky, lr, "exactly"));
        if (!spring.isEmpty()) {
            rows.add(row("Spring Kafka DefaultErrorHandler, 10 % failures", spring, sr, "approx."));
            rows.add(row(
                    "Parallel Consumer, 10 % failures",
                    pc, report.ratio("retry.pc.goodput", goodput(pc), base), "approx."));
        }
        report.table(
                List.of(
                        "side",
                        "goodput rec/s",
                        "÷ baseline",
                        "lateness p50",
                        "p99",
                        "max",
                        "early firings",
                        "lateness"),
                rows);
        report.line(
                "Spring's retries are *blocking*: the consumer thread sleeps the back-off (1 s, then 5 s) while every "
                        + "other record of its partitions waits, and the lateness shown for it is approximate (next call − "
                        + "failed call − delay; it has no due-time record). It keeps partition order, is at-least-once, and "
                        + "dead-letters to `<main>-dlt` after the last back-off. Parallel Consumer retries in memory after the "
                        + "delay for the attempt (1 s, 5 s) while other keys go on; its retries are not persisted (a restart "
                        + "re-reads from the last committed offset and retries from scratch), it has no dead-letter topic and "
                        + "no exactly-once hand-off in this mode; its lateness is approximate too. The peers run "
                        + sizes.peerRetryRecords() + " records per run (not " + n
                        + "): Spring's blocking back-offs would "
                        + "otherwise take minutes per run; goodput is a rate, so it compares, but the 6 s tail weighs more.\n");
    }

    private static List<String> row(String name, List<Run> runs, Stats.Spread ratio, String kind) {
        List<Long> all = new ArrayList<>();
        runs.forEach(r -> all.addAll(r.latenessMs()));
        String p50 = all.isEmpty() ? "–" : Stats.fmt(Stats.percentile(all, 50)) + " ms";
        String p99 = all.isEmpty() ? "–" : Stats.fmt(Stats.percentile(all, 99)) + " ms";
        String max = all.isEmpty() ? "–" : Stats.fmt(Stats.percentile(all, 100)) + " ms";
        String early = kind.equals("exactly")
                ? String.valueOf(runs.stream().mapToLong(Run::early).sum())
                : "n/a";
        return List.of(
                name,
                Stats.Spread.of(goodput(runs)).format(""),
                ratio.format("×"),
                p50,
                p99,
                max,
                early,
                all.isEmpty() ? "–" : kind + ", " + all.size() + " retries");
    }

    static List<Double> goodput(List<Run> runs) {
        return runs.stream().map(Run::goodput).toList();
    }

    private Run ladder(int failPercent) {
        String main = cluster.unique("retry");
        LadderSettings settings = Apps.ladderSettings(
                main,
                dev.ladder.policy.Tier.of(Duration.ofMillis(TIERS_MS[0]), 1),
                dev.ladder.policy.Tier.of(Duration.ofMillis(TIERS_MS[1]), 1));
        Apps.createLadderTopics(cluster, settings);
        Handlers.Flaky handler = new Handlers.Flaky(failPercent);
        var streams = Apps.startLadder(cluster, settings, handler, StreamsConfig.EXACTLY_ONCE_V2);
        Map<String, Long> due = new ConcurrentHashMap<>();
        List<String> tiers = settings.topics().tiers();
        try (CommittedReader out = new CommittedReader(
                        cluster.bootstrap(), List.of(settings.topics().output().orElseThrow()), Cluster.PARTITIONS);
                CommittedReader tierReader = new CommittedReader(cluster.bootstrap(), tiers, Cluster.PARTITIONS)) {
            int n = sizes.retryRecords();
            long start = System.nanoTime();
            cluster.produce(main, "r", n, 1_000, 0);
            long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
            while (out.count() < n && System.nanoTime() < deadline) {
                out.poll(Duration.ofMillis(20), null);
                tierReader.poll(Duration.ZERO, r -> noteDue(r, due));
            }
            HappyPathBench.check(out.count() >= n, "all retried records in the output");
            double goodput = n / ((out.lastNewNanos() - start) / 1e9);
            tierReader.poll(Duration.ofMillis(500), r -> noteDue(r, due));
            List<Long> lateness = new ArrayList<>();
            long early = 0;
            for (var e : due.entrySet()) {
                Long call = handler.calls.get(e.getKey());
                if (call == null) {
                    throw new IllegalStateException("no call for retry " + e.getKey());
                }
                long late = call - e.getValue();
                lateness.add(late);
                if (late < 0) {
                    early++;
                }
            }
            return new Run(goodput, lateness, early);
        } finally {
            Apps.stop(streams);
        }
    }

    /** Tier record of an event after attempt n: its due time keyed by "id#(n+1)", the call it announces. */
    private static void noteDue(ConsumerRecord<byte[], byte[]> r, Map<String, Long> due) {
        Map.Entry<String, Long> d = due(r);
        if (d != null) {
            due.put(d.getKey(), d.getValue());
        }
    }

    /** A tier record written after attempt n: "id#(n+1)" (the call it announces) → its due time; null if not one. */
    static Map.Entry<String, Long> due(ConsumerRecord<byte[], byte[]> r) {
        Header id = r.headers().lastHeader(LadderHeaders.EVENT_ID);
        Header attempts = r.headers().lastHeader(LadderHeaders.ATTEMPTS);
        Header dueTime = r.headers().lastHeader(LadderHeaders.DUE_TIME);
        if (id == null || attempts == null || dueTime == null) {
            return null;
        }
        int next = ByteBuffer.wrap(attempts.value()).getInt() + 1;
        return Map.entry(
                Handlers.utf8(id.value()) + "#" + next,
                ByteBuffer.wrap(dueTime.value()).getLong());
    }

    interface PeerStart {
        AutoCloseable start(String main, String out, Handlers.Flaky handler);
    }

    private Run peer(int failPercent, String name, PeerStart starter) {
        String main = cluster.unique(name);
        String out = main + "-out";
        Handlers.Flaky handler = new Handlers.Flaky(failPercent);
        try (AutoCloseable app = starter.start(main, out, handler);
                CommittedReader reader = new CommittedReader(cluster.bootstrap(), List.of(out), Cluster.PARTITIONS)) {
            int n = sizes.peerRetryRecords();
            long start = System.nanoTime();
            cluster.produce(main, "r", n, 1_000, 0);
            HappyPathBench.check(reader.awaitIds(n, Duration.ofMinutes(10)), name + ": all records in the output");
            double goodput = n / ((reader.lastNewNanos() - start) / 1e9);
            List<Long> lateness = new ArrayList<>();
            for (var e : handler.calls.entrySet()) {
                String[] parts = e.getKey().split("#");
                int attempt = Integer.parseInt(parts[1]);
                if (attempt > 1) {
                    Long prev = handler.calls.get(parts[0] + "#" + (attempt - 1));
                    lateness.add(e.getValue() - prev - TIERS_MS[attempt - 2]);
                }
            }
            return new Run(goodput, lateness, 0);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
