package dev.ladder.bench;

import dev.ladder.kernel.LadderMetrics;
import dev.ladder.policy.LadderSettings;
import dev.ladder.policy.Tier;
import dev.ladder.serde.RetryStores;
import dev.ladder.topology.LadderTopology;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Scenario 4: many pending retries. Part (a) drives the real topology with TopologyTestDriver
 * (real RocksDB stores, no broker): N events fail once into a 1 h tier and sit in the timers store,
 * then no-op events are piped through with N pending and with 0 pending, alternating. Part (b)
 * lets those N retries run (each fails again and is dead-lettered), leaving N tombstones in the
 * timers store, then compares a punctuation with nothing due (the engine's bounded scan) with a
 * naive scan from 0 over the tombstones. Both parts measure through the public face
 * ({@code LadderTopology}, {@code RetryStores}); the timer queue itself is the engine's own.
 */
final class PendingTimersBench {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final Path work;
    private final Sizes sizes;

    PendingTimersBench(Path work, Sizes sizes) {
        this.work = work;
        this.sizes = sizes;
    }

    void run(Report report) throws Exception {
        int n = sizes.pendingTimers();
        report.section("4. " + String.format("%,d", n) + " pending retries in the timers store");
        report.line("(a) TopologyTestDriver over the real topology and its RocksDB stores, exactly-once, no broker: "
                + String.format("%,d", n) + " events with distinct keys fail once into a 1 h tier; then "
                + sizes.pendingProbe()
                + " no-op events are piped through a driver holding them and through an empty one, "
                + "alternating. Driver output queues are drained as it goes so they do not count as heap.\n");
        Path emptyDir = Files.createDirectories(work.resolve("ttd-empty"));
        Path fullDir = Files.createDirectories(work.resolve("ttd-full"));
        long heapBefore = usedHeap();
        try (Driver empty = new Driver(emptyDir);
                Driver full = new Driver(fullDir)) {
            long t0 = System.nanoTime();
            full.fill(n);
            double fillSeconds = (System.nanoTime() - t0) / 1e9;
            long heapAfter = usedHeap();
            long disk = size(fullDir);
            List<Double> withPending = new ArrayList<>();
            List<Double> without = new ArrayList<>();
            List<Double> punctFull = new ArrayList<>();
            List<Double> punctEmpty = new ArrayList<>();
            for (int i = 0; i < sizes.runs(); i++) {
                withPending.add(full.probe(sizes.pendingProbe(), "p" + i));
                without.add(empty.probe(sizes.pendingProbe(), "p" + i));
                punctFull.add(full.punctuations(50));
                punctEmpty.add(empty.punctuations(50));
            }
            Stats.Spread tr = report.ratio("pending.throughput", withPending, without);
            Stats.Spread pr = report.ratio("pending.punctuation", punctFull, punctEmpty);
            report.table(
                    List.of("measure", "with " + String.format("%,d", n) + " pending", "with 0 pending", "ratio"),
                    List.of(
                            List.of(
                                    "main-path records/s (no-op handler)",
                                    Stats.Spread.of(withPending).format(""),
                                    Stats.Spread.of(without).format(""),
                                    tr.format("×")),
                            List.of(
                                    "one punctuation, nothing due (µs)",
                                    Stats.Spread.of(punctFull).format(""),
                                    Stats.Spread.of(punctEmpty).format(""),
                                    pr.format("×"))));
            report.line(String.format(
                    "Filling took %.1f s (%,.0f events/s through fail → tier → timer). Heap in use "
                            + "after GC grew by %.1f MiB (RocksDB's own memory is off-heap and not in this number); state "
                            + "directory on disk: %.1f MiB (%.0f bytes per pending retry, all five stores).%n",
                    fillSeconds,
                    n / fillSeconds,
                    (heapAfter - heapBefore) / 1048576.0,
                    disk / 1048576.0,
                    (double) disk / n));
            tombstones(report, n, full, empty);
        }
    }

    private void tombstones(Report report, int n, Driver full, Driver empty) {
        report.line("(b) The same driver after its " + String.format("%,d", n)
                + " retries fell due (each fails again and is dead-lettered), leaving only tombstones in the "
                + "timers store (unless RocksDB compacted some away meanwhile). Then, nothing due:\n");
        long t0 = System.nanoTime();
        full.runAllRetries();
        double drainSeconds = (System.nanoTime() - t0) / 1e9;
        List<Double> bounded = new ArrayList<>();
        List<Double> idle = new ArrayList<>();
        List<Double> naive = new ArrayList<>();
        for (int i = 0; i < Math.max(3, sizes.runs()); i++) {
            bounded.add(full.punctuations(50));
            idle.add(empty.punctuations(50));
            long a = System.nanoTime();
            int seen = full.naiveTimerScan();
            naive.add((System.nanoTime() - a) / 1e3);
            if (seen != 0) {
                throw new IllegalStateException("naive scan found " + seen);
            }
        }
        Stats.Spread r = report.ratio("tombstones.naive-vs-bounded", naive, bounded);
        report.table(
                List.of("scan", "time (µs)", "÷ bounded scan"),
                List.of(
                        List.of(
                                "one punctuation over the tombstones (Ladder's bounded scan)",
                                Stats.Spread.of(bounded).format(""),
                                "1×"),
                        List.of(
                                "one punctuation of a driver that never had a timer",
                                Stats.Spread.of(idle).format(""),
                                Stats.fmt(Stats.Spread.of(idle).median()
                                                / Stats.Spread.of(bounded).median())
                                        + "×"),
                        List.of(
                                "naive `range(0, now]` over the tombstones",
                                Stats.Spread.of(naive).format(""),
                                r.format("×"))));
        report.line(String.format(
                "Running the %,d retries took %.1f s. A naive scan would pay its walk over the tombstones on "
                        + "every punctuation.%n",
                n, drainSeconds));
    }

    private static int naiveScan(KeyValueStore<Bytes, byte[]> store, long now) {
        int n = 0;
        try (KeyValueIterator<Bytes, byte[]> it = store.range(Bytes.wrap(prefix(0)), Bytes.wrap(prefix(now)))) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }

    private static byte[] prefix(long t) {
        return ByteBuffer.allocate(8).putLong(t).array();
    }

    /** A TopologyTestDriver over Ladder with a 1 h tier and a handler that fails "hold-" events. */
    private static final class Driver implements AutoCloseable {
        private final TopologyTestDriver driver;
        private final TestInputTopic<byte[], byte[]> main;
        private final List<String> outputs;
        private final LadderMetrics metrics = new LadderMetrics(new SimpleMeterRegistry());
        private long now = START.toEpochMilli();

        Driver(Path stateDir) {
            LadderSettings settings = Apps.ladderSettings("pending", Tier.of(Duration.ofHours(1), 1));
            Properties props = LadderTopology.streamsDefaults();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-pending");
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
            props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            driver = new TopologyTestDriver(
                    LadderTopology.build(settings, new Handlers.HoldSome(), metrics), props, START);
            main = driver.createInputTopic(
                    "pending", new ByteArraySerializer(), new ByteArraySerializer(), START, Duration.ZERO);
            outputs = new ArrayList<>();
        }

        void fill(int n) {
            for (int i = 0; i < n; i++) {
                send("hold-" + i, "hold-key-" + i);
                if (i % 10_000 == 9_999) {
                    drain();
                }
            }
            drain();
        }

        /** Pipes {@code n} no-op events; records/s. */
        double probe(int n, String prefix) {
            long a = System.nanoTime();
            for (int i = 0; i < n; i++) {
                send(prefix + "-" + i, prefix + "-key-" + i);
            }
            double rate = n / ((System.nanoTime() - a) / 1e9);
            drain();
            return rate;
        }

        /** Mean time of one punctuation with nothing due, µs. */
        double punctuations(int count) {
            long a = System.nanoTime();
            for (int i = 0; i < count; i++) {
                advance(Duration.ofMillis(100));
            }
            return (System.nanoTime() - a) / 1e3 / count;
        }

        /** Moves past the 1 h tier and punctuates until no retry is left in the timers store. */
        void runAllRetries() {
            advance(Duration.ofHours(1));
            while (metrics.registry().get(LadderMetrics.TIMERS_PENDING).gauge().value() > 0) {
                advance(Duration.ofSeconds(1));
                drain();
            }
            drain();
        }

        /** A naive {@code range(0, now]} over the timers store: the entries it found. */
        int naiveTimerScan() {
            KeyValueStore<Bytes, byte[]> timers = driver.getKeyValueStore(RetryStores.TIMERS);
            return naiveScan(timers, now);
        }

        private void advance(Duration step) {
            driver.advanceWallClockTime(step);
            now += step.toMillis();
        }

        private void send(String id, String key) {
            RecordHeaders h = new RecordHeaders();
            h.add("event-id", id.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            main.pipeInput(
                    new TestRecord<>(key.getBytes(java.nio.charset.StandardCharsets.UTF_8), new byte[100], h, START));
        }

        /** Empties the driver's captured output (changelogs, tier, output) so it does not pile up on the heap. */
        private void drain() {
            if (outputs.isEmpty()) {
                outputs.addAll(driver.producedTopicNames());
            }
            for (String topic : driver.producedTopicNames()) {
                driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer())
                        .readRecordsToList();
            }
        }

        @Override
        public void close() {
            driver.close();
        }
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    static long size(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(p -> {
                        try {
                            return Files.size(p);
                        } catch (IOException e) {
                            return 0;
                        }
                    })
                    .sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
