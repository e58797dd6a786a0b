package dev.ladder.bench;

import dev.ladder.bench.SoakBench.Kind;
import dev.ladder.handler.http.HttpEventHandler;
import dev.ladder.handler.http.HttpHandlerSettings;
import dev.ladder.policy.LadderSettings;
import dev.ladder.policy.Tier;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Scenario 7: a burst with failures. The soak's seeded plan (82 % succeed, 14 % 503 twice then 200,
 * 3 % 400, 1 % 503 for ever) produced all at once, against an endpoint with no added latency; tiers
 * 1 s and 5 s, one attempt each. Ladder (exactly-once, breaker off, its HTTP handler) against
 * Parallel Consumer on the same concurrency budget, alternating. Goodput, and how late the retries
 * ran: Ladder's exactly (call time at the endpoint − the tier record's {@code ladder-due-time}), PC's
 * approximately (call − previous call − delay; PC has no due-time record).
 */
final class BurstBench {

    static final long[] TIERS_MS = {1_000, 5_000};
    private static final long SEED = 7;

    /** One run: goodput, settle time, lateness by tier (1, 2), early calls and what landed where. */
    record Run(
            double goodput,
            double seconds,
            double p50Seconds,
            double p90Seconds,
            Map<Integer, List<Long>> lateness,
            long early,
            Tally tally) {}

    /** Where the events landed: delivered / dead-lettered once, extra copies, misplaced, missing. */
    record Tally(long delivered, long deadLettered, long duplicates, long misplaced, long lost) {
        String format() {
            return delivered + " / " + deadLettered + " / " + duplicates + " dup. / " + misplaced + " misplaced / "
                    + lost + " lost";
        }
    }

    private final Cluster cluster;
    private final Sizes sizes;

    BurstBench(Cluster cluster, Sizes sizes) {
        this.cluster = cluster;
        this.sizes = sizes;
    }

    void run(Report report) throws Exception {
        int events = sizes.burstEvents();
        int keys = sizes.burstKeys();
        int perThread = HttpBench.MATCHED_CONCURRENCY;
        report.section(
                "7. Burst with failures: " + String.format("%,d", events) + " events at once, tiers 1 s and 5 s");
        Map<String, Kind> plan = SoakBench.plan(SEED, events);
        Map<Kind, Long> kinds = new HashMap<>();
        plan.values().forEach(k -> kinds.merge(k, 1L, Long::sum));
        report.line(String.format("%,d", events) + " events over " + String.format("%,d", keys) + " keys, "
                + Cluster.PARTITIONS + " partitions, all produced at once (seeded plan: " + kinds.get(Kind.OK)
                + " succeed, " + kinds.get(Kind.FLAKY) + " answer 503 twice then 200, " + kinds.get(Kind.BAD)
                + " answer 400, " + kinds.get(Kind.DEAD) + " answer 503 for ever) against a local endpoint with no "
                + "added latency (`BlockingHttpServer`: a thread per connection). Tiers 1 s and 5 s, one attempt each: a 503 for ever is "
                + "dead-lettered after the third call, a 400 at once. **Ladder**: exactly-once, breaker off, its HTTP "
                + "handler, " + Cluster.THREADS + " stream threads × `handler.concurrency` " + perThread + " = "
                + HttpBench.ladderInFlight(perThread) + " calls in flight at most. **Parallel Consumer**: key order, "
                + "`maxConcurrency` " + ParallelConsumerPeer.MAX_CONCURRENCY + ", the same HTTP handler called "
                + "synchronously on its worker threads, at-least-once; delays emulated with its `retryDelayProvider` "
                + "(1 s after the first failure, 5 s after the second: the user function throws to retry) and the DLT "
                + "by the user function producing the record to `<main>-dlt` on a 400 or on a third 503. Goodput = "
                + "events delivered ÷ (first send → last event in the output or the DLT). " + sizes.runs()
                + " runs per side, alternating.\n");
        double floor = floorSeconds(plan, keys);
        long deliverable = plan.values().stream().filter(k -> k.delivered).count();
        report.line(
                "Under per-key order a key's failing event holds its followers for at least its delays (1 s + 5 s), so "
                        + "the plan itself sets a floor on the time to settle everything, whoever runs it: **"
                        + Stats.fmt(floor)
                        + " s** (the key with the most events that fail twice or for ever), i.e. a goodput "
                        + "ceiling of " + deliverable + " ÷ " + Stats.fmt(floor) + " s = **"
                        + Stats.fmt(deliverable / floor)
                        + " events/s** for any key-ordered consumer.\n");
        report.numbers.put("burst.floor-s", floor);
        List<Run> ladder = new ArrayList<>();
        List<Run> pc = new ArrayList<>();
        for (int i = 0; i < sizes.runs(); i++) {
            ladder.add(ladder(plan, keys, perThread));
            pc.add(pc(plan, keys));
        }
        Stats.Spread ratio = report.ratio("burst.ladder-vs-pc.goodput", goodput(ladder), goodput(pc));
        long early = ladder.stream().mapToLong(Run::early).sum();
        report.numbers.put("burst.ladder.early", (double) early);
        report.numbers.put("burst.ladder.tier1.p99-ms", Stats.percentile(all(ladder, 1), 99));
        report.table(
                List.of(
                        "side",
                        "goodput events/s",
                        "÷ Parallel Consumer",
                        "50 % / 90 % / all settled (s)",
                        "1 s tier lateness p50 / p99 / max",
                        "5 s tier lateness p50 / p99 / max",
                        "early calls",
                        "delivered / dead-lettered (last run)"),
                List.of(
                        row("Ladder (exactly-once)", ladder, ratio.format("×"), String.valueOf(early), "exactly"),
                        row("Parallel Consumer (at-least-once)", pc, "1.00× (1.00 – 1.00)", "n/a", "approx.")));
        report.line("Lateness is pooled over the runs (" + all(ladder, 1).size() + " Ladder retries on the 1 s tier, "
                + all(ladder, 2).size() + " on the 5 s tier). Ladder's runs are checked like the soak's: every event "
                + "exactly once in the output or the DLT as planned, after its planned attempts, in per-key order "
                + "(a failed check fails the scenario). Parallel Consumer's are counted, not failed (at-least-once may "
                + "duplicate after a rebalance): the last column shows its last run.\n");
    }

    /** The longest chain of tier delays any key must sit through under the plan (no call time counted). */
    private static double floorSeconds(Map<String, Kind> plan, int keys) {
        long delays = (TIERS_MS[0] + TIERS_MS[1]);
        Map<Integer, Long> perKey = new HashMap<>();
        int i = 0;
        for (Kind kind : plan.values()) {
            if (kind == Kind.FLAKY || kind == Kind.DEAD) {
                perKey.merge(i % keys, delays, Long::sum);
            }
            i++;
        }
        return perKey.values().stream().mapToLong(Long::longValue).max().orElse(0) / 1000.0;
    }

    private static List<String> row(String name, List<Run> runs, String ratio, String early, String kind) {
        Run last = runs.get(runs.size() - 1);
        return List.of(
                name,
                Stats.Spread.of(goodput(runs)).format(""),
                ratio,
                Stats.fmt(Stats.Spread.of(runs.stream().map(Run::p50Seconds).toList())
                                .median()) + " / "
                        + Stats.fmt(Stats.Spread.of(
                                        runs.stream().map(Run::p90Seconds).toList())
                                .median()) + " / "
                        + Stats.Spread.of(runs.stream().map(Run::seconds).toList())
                                .format(""),
                lateness(all(runs, 1), kind),
                lateness(all(runs, 2), kind),
                early,
                last.tally().format());
    }

    private static String lateness(List<Long> ms, String kind) {
        if (ms.isEmpty()) {
            return "–";
        }
        return Stats.fmt(Stats.percentile(ms, 50)) + " / " + Stats.fmt(Stats.percentile(ms, 99)) + " / "
                + Stats.fmt(Stats.percentile(ms, 100)) + " ms (" + kind + ")";
    }

    private static List<Long> all(List<Run> runs, int tier) {
        List<Long> all = new ArrayList<>();
        runs.forEach(r -> all.addAll(r.lateness().getOrDefault(tier, List.of())));
        return all;
    }

    private static List<Double> goodput(List<Run> runs) {
        return runs.stream().map(Run::goodput).toList();
    }

    /** The endpoint of one run: answers by the plan and notes each call's time by "id#n". */
    private static BlockingHttpServer endpoint(Map<String, Kind> plan, Map<String, Long> calls) {
        Map<String, AtomicInteger> count = new ConcurrentHashMap<>();
        return new BlockingHttpServer(0, (id, now) -> {
            int n = count.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            calls.put(id + "#" + n, now);
            return switch (plan.getOrDefault(id, Kind.BAD)) {
                case OK -> 200;
                case FLAKY -> n <= 2 ? 503 : 200;
                case BAD -> 400;
                case DEAD -> 503;
            };
        });
    }

    private Run ladder(Map<String, Kind> plan, int keys, int concurrency) throws Exception {
        Map<String, Long> calls = new ConcurrentHashMap<>();
        String main = cluster.unique("burst");
        LadderSettings settings = Apps.ladderSettings(
                main,
                concurrency,
                Tier.of(Duration.ofMillis(TIERS_MS[0]), 1),
                Tier.of(Duration.ofMillis(TIERS_MS[1]), 1));
        Apps.createLadderTopics(cluster, settings);
        String out = settings.topics().output().orElseThrow();
        List<String> tiers = settings.topics().tiers();
        try (BlockingHttpServer endpoint = endpoint(plan, calls)) {
            HttpEventHandler handler = new HttpEventHandler(HttpHandlerSettings.of(endpoint.url()), Clock.systemUTC());
            var streams = Apps.startLadder(cluster, settings, handler, StreamsConfig.EXACTLY_ONCE_V2);
            Map<String, long[]> due = new HashMap<>();
            try (CommittedReader reader = new CommittedReader(
                            cluster.bootstrap(), List.of(out, settings.topics().deadLetter()), Cluster.PARTITIONS);
                    CommittedReader tierReader = new CommittedReader(cluster.bootstrap(), tiers, Cluster.PARTITIONS)) {
                Arrivals records = new Arrivals();
                SoakBench.produce(cluster, main, plan, keys);
                await(reader, records, plan.size());
                double seconds = (reader.lastNewNanos() - records.start) / 1e9;
                settle(reader, records);
                // every event that fails twice or for ever passes both tiers once: read all their records
                long retried = plan.values().stream()
                        .filter(k -> k == Kind.FLAKY || k == Kind.DEAD)
                        .count();
                long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (due.size() < 2 * retried && System.nanoTime() < until) {
                    tierReader.poll(Duration.ofMillis(100), r -> noteDue(r, tiers, due));
                }
                SoakBench.check(due.size() == 2 * retried, due.size() + " tier records, not " + 2 * retried);
                SoakBench.checkAsPlanned(plan, records.all, out, false);
                Map<Integer, List<Long>> lateness = new HashMap<>();
                long early = 0;
                for (var e : due.entrySet()) {
                    Long call = calls.get(e.getKey());
                    SoakBench.check(call != null, "no call for retry " + e.getKey());
                    long late = call - e.getValue()[0];
                    lateness.computeIfAbsent((int) e.getValue()[1], t -> new ArrayList<>())
                            .add(late);
                    if (late < 0) {
                        early++;
                    }
                }
                return records.run(seconds, lateness, early, tally(plan, records.all, out));
            } finally {
                Apps.stop(streams);
            }
        }
    }

    private Run pc(Map<String, Kind> plan, int keys) throws Exception {
        Map<String, Long> calls = new ConcurrentHashMap<>();
        String main = cluster.unique("burst-pc");
        String out = main + "-out";
        String dlt = main + "-dlt";
        try (BlockingHttpServer endpoint = endpoint(plan, calls)) {
            HttpEventHandler handler = new HttpEventHandler(HttpHandlerSettings.of(endpoint.url()), Clock.systemUTC());
            try (AutoCloseable app = ParallelConsumerPeer.start(
                            cluster,
                            main,
                            out,
                            handler,
                            new ParallelConsumerPeer.Options(
                                    ParallelConsumerPeer.MAX_CONCURRENCY, TIERS_MS, TIERS_MS.length + 1, dlt));
                    CommittedReader reader =
                            new CommittedReader(cluster.bootstrap(), List.of(out, dlt), Cluster.PARTITIONS)) {
                Arrivals records = new Arrivals();
                SoakBench.produce(cluster, main, plan, keys);
                await(reader, records, plan.size());
                double seconds = (reader.lastNewNanos() - records.start) / 1e9;
                settle(reader, records);
                Map<Integer, List<Long>> lateness = new HashMap<>();
                for (var e : calls.entrySet()) {
                    String[] parts = e.getKey().split("#");
                    int n = Integer.parseInt(parts[1]);
                    Long previous = calls.get(parts[0] + "#" + (n - 1));
                    if (n > 1 && n <= TIERS_MS.length + 1 && previous != null) {
                        lateness.computeIfAbsent(n - 1, t -> new ArrayList<>())
                                .add(e.getValue() - previous - TIERS_MS[n - 2]);
                    }
                }
                return records.run(seconds, lateness, 0, tally(plan, records.all, out));
            }
        }
    }

    /** The records read, and when each event was first seen (seconds after the first send). */
    private static final class Arrivals {
        final long start = System.nanoTime();
        final List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
        final Map<String, Double> first = new HashMap<>();

        void add(ConsumerRecord<byte[], byte[]> r) {
            all.add(r);
            first.putIfAbsent(CommittedReader.id(r), (System.nanoTime() - start) / 1e9);
        }

        Run run(double seconds, Map<Integer, List<Long>> lateness, long early, Tally tally) {
            return new Run(tally.delivered() / seconds, seconds, quantile(0.5), quantile(0.9), lateness, early, tally);
        }

        /** Seconds until the fraction {@code q} of the events had settled. */
        double quantile(double q) {
            long[] ms =
                    first.values().stream().mapToLong(s -> (long) (s * 1000)).toArray();
            return Stats.percentile(ms, q * 100) / 1000.0;
        }
    }

    private static void await(CommittedReader reader, Arrivals records, int expected) {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        while (reader.count() < expected && System.nanoTime() < deadline) {
            reader.poll(Duration.ofMillis(50), records::add);
        }
        HappyPathBench.check(reader.count() >= expected, "every burst event in the output or the DLT");
    }

    /** A little longer: a duplicate or a stray dead letter would show up now. */
    private static void settle(CommittedReader reader, Arrivals records) {
        long until = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        while (System.nanoTime() < until) {
            reader.poll(Duration.ofMillis(100), records::add);
        }
    }

    private static Tally tally(Map<String, Kind> plan, List<ConsumerRecord<byte[], byte[]>> records, String out) {
        Map<String, String> placed = new HashMap<>();
        long duplicates = 0;
        long misplaced = 0;
        long delivered = 0;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            String id = CommittedReader.id(r);
            if (placed.putIfAbsent(id, r.topic()) != null) {
                duplicates++;
                continue;
            }
            boolean isOut = r.topic().equals(out);
            Kind kind = plan.get(id);
            if (kind == null || kind.delivered != isOut) {
                misplaced++;
            }
            if (isOut) {
                delivered++;
            }
        }
        return new Tally(
                delivered, placed.size() - delivered, duplicates, misplaced, plan.size() - (long) placed.size());
    }

    /** A tier record after attempt n: due time and tier (1-based) of call n+1, keyed "id#(n+1)". */
    private static void noteDue(ConsumerRecord<byte[], byte[]> r, List<String> tiers, Map<String, long[]> due) {
        Map.Entry<String, Long> d = RetryBench.due(r);
        if (d != null) {
            due.put(d.getKey(), new long[] {d.getValue(), tiers.indexOf(r.topic()) + 1});
        }
    }
}
