package dev.ladder.bench;

import dev.ladder.kernel.LadderMetrics;
import dev.ladder.policy.LadderSettings;
import dev.ladder.policy.Tier;
import dev.ladder.topology.LadderTopology;
import dev.ladder.topology.internals.TimerQueue;
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
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Scenario 4: many pending retries. Part (a) drives the real topology with TopologyTestDriver
 * (real RocksDB stores, no broker): N events fail once into a 1 h tier and sit in the timers store,
 * then no-op events are piped through with N pending and with 0 pending, alternating. Part (b)
 * opens a RocksDB store directly (as TimerQueueTest does), schedules and drains N timers, then
 * compares the queue's bounded scan with a naive scan from 0 over the tombstones.
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
        }
        tombstones(report, n);
    }

    private void tombstones(Report report, int n) {
        report.line("(b) `TimerQueue` on a RocksDB store opened directly (MockProcessorContext, logging off): "
                + String.format("%,d", n)
                + " timers scheduled and drained with `pollDue` in batches of 200, leaving only "
                + "tombstones (before any compaction removes them). Then, nothing due:\n");
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-timers");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        Path dir = work.resolve("timers");
        MockProcessorContext<Object, Object> context =
                new MockProcessorContext<>(config, new TaskId(0, 0), dir.toFile());
        KeyValueStore<Bytes, byte[]> store = Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore("t"), Serdes.Bytes(), Serdes.ByteArray())
                .withLoggingDisabled()
                .build();
        store.init(context.getStateStoreContext(), store);
        try {
            TimerQueue queue = new TimerQueue(store);
            long t = START.toEpochMilli();
            byte[] envelope = new byte[200];
            for (int i = 0; i < n; i++) {
                queue.schedule(t + i, "event-" + i, envelope);
            }
            long now = t + n;
            int drained = 0;
            List<TimerQueue.Timer> batch;
            while (!(batch = queue.pollDue(now, 200)).isEmpty()) {
                drained += batch.size();
            }
            List<Double> bounded = new ArrayList<>();
            List<Double> naive = new ArrayList<>();
            List<Double> rederive = new ArrayList<>();
            for (int i = 0; i < Math.max(3, sizes.runs()); i++) {
                long a = System.nanoTime();
                queue.pollDue(now + 1, 200);
                bounded.add((System.nanoTime() - a) / 1e3);
                a = System.nanoTime();
                int seen = naiveScan(store, now + 1);
                naive.add((System.nanoTime() - a) / 1e3);
                if (seen != 0) {
                    throw new IllegalStateException("naive scan found " + seen);
                }
                a = System.nanoTime();
                new TimerQueue(store);
                rederive.add((System.nanoTime() - a) / 1e3);
            }
            Stats.Spread r = report.ratio("tombstones.naive-vs-bounded", naive, bounded);
            report.table(
                    List.of("scan", "time (µs)", "÷ bounded scan"),
                    List.of(
                            List.of(
                                    "`pollDue` from `scanFrom` (Ladder)",
                                    Stats.Spread.of(bounded).format(""),
                                    "1×"),
                            List.of(
                                    "naive `range(0, now]` over the tombstones",
                                    Stats.Spread.of(naive).format(""),
                                    r.format("×")),
                            List.of(
                                    "`new TimerQueue(store)`: re-derive the start after a restore (`all()`, first key)",
                                    Stats.Spread.of(rederive).format(""),
                                    Stats.fmt(Stats.Spread.of(rederive).median()
                                                    / Stats.Spread.of(bounded).median()) + "×")));
            report.line(
                    "Drained " + String.format("%,d", drained) + " timers. The re-derivation walks the same tombstones "
                            + "once per restore (by design, once); the naive scan would pay it on every punctuation.\n");
        } finally {
            store.close();
        }
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

        Driver(Path stateDir) {
            LadderSettings settings = Apps.ladderSettings("pending", Tier.of(Duration.ofHours(1), 1));
            Properties props = LadderTopology.streamsDefaults();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-pending");
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
            props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
            driver = new TopologyTestDriver(
                    LadderTopology.build(settings, new Handlers.HoldSome(), LadderMetrics.noop()), props, START);
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
                driver.advanceWallClockTime(Duration.ofMillis(100));
            }
            return (System.nanoTime() - a) / 1e3 / count;
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
