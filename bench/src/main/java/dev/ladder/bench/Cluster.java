package dev.ladder.bench;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The broker every scenario shares, and the client plumbing around it: unique names, topics,
 * producers of timestamped load, Streams properties, and waiting for RUNNING.
 */
final class Cluster implements AutoCloseable {

    /** Partitions of every main topic (and so of every tier, output and changelog topic). */
    static final int PARTITIONS = 4;
    /** Stream threads of every Streams app, and consumers of every peer. */
    static final int THREADS = 2;

    private final String bootstrap;
    private final Admin admin;
    private final Path work;
    private final AtomicInteger ids = new AtomicInteger();

    Cluster(String bootstrap, Path work) {
        this.bootstrap = bootstrap;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
        this.work = work;
    }

    String bootstrap() {
        return bootstrap;
    }

    Admin admin() {
        return admin;
    }

    String unique(String prefix) {
        return "bench-" + prefix + "-" + ProcessHandle.current().pid() + "-" + ids.incrementAndGet();
    }

    Path stateDir(String name) {
        try {
            return Files.createDirectories(work.resolve("state").resolve(name));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    Path work() {
        return work;
    }

    void createTopics(String... names) {
        List<NewTopic> topics = java.util.Arrays.stream(names)
                .map(n -> new NewTopic(n, PARTITIONS, (short) 1))
                .toList();
        try {
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
            awaitLeaders(List.of(names));
        } catch (Exception e) {
            throw new IllegalStateException("cannot create " + List.of(names), e);
        }
    }

    /** A new partition answers NOT_LEADER for a moment after creation; producing then can wedge an idempotent producer. */
    private void awaitLeaders(List<String> names) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            try {
                boolean ready = admin.describeTopics(names).allTopicNames().get().values().stream()
                        .allMatch(d -> d.partitions().stream()
                                .allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
                if (ready) {
                    return;
                }
            } catch (java.util.concurrent.ExecutionException e) {
                // not known to the broker's metadata yet: ask again
            }
            sleep(20);
        }
        throw new IllegalStateException("no leaders for " + names);
    }

    /** Prefix of the system properties that override a Streams config of every Streams side. */
    static final String STREAMS_OVERRIDE = "bench.streams.";

    /** Streams properties shared by Ladder and every Streams baseline. */
    Properties streamsProps(String appId, String guarantee) {
        Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, THREADS);
        p.put(StreamsConfig.STATE_DIR_CONFIG, stateDir(appId).toString());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 10_000);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        // -Dbench.streams.<config>=<value> sets a Streams config of every Streams side (A/B runs)
        System.getProperties().stringPropertyNames().stream()
                .filter(name -> name.startsWith(STREAMS_OVERRIDE))
                .forEach(name -> p.put(name.substring(STREAMS_OVERRIDE.length()), System.getProperty(name)));
        return p;
    }

    static void awaitRunning(KafkaStreams streams, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline || streams.state() == KafkaStreams.State.ERROR) {
                throw new IllegalStateException("Streams not RUNNING but " + streams.state());
            }
            sleep(20);
        }
        // RUNNING is reported before every task has its partitions assigned and initialised
        while (streams.metadataForLocalThreads().stream()
                        .mapToInt(t -> t.activeTasks().size())
                        .sum()
                < PARTITIONS) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("tasks not assigned");
            }
            sleep(20);
        }
    }

    KafkaProducer<byte[], byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        // the load producer: ordered (one request in flight) but not idempotent, so a NOT_LEADER retry
        // on a brand-new partition cannot leave it stuck on an out-of-order sequence
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Sends {@code count} records, keys from {@code keys} distinct ones, ids {@code prefix-i}, the
     * send time (System.nanoTime) in the value's first 8 bytes. {@code perSecond <= 0}: as fast as
     * the producer goes.
     */
    void produce(String topic, String prefix, int count, int keys, int perSecond) {
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            long start = System.nanoTime();
            for (int i = 0; i < count; i++) {
                if (perSecond > 0) {
                    long due = start + (long) (i * 1e9 / perSecond);
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        sleepNanos(wait);
                    }
                }
                producer.send(record(topic, prefix + "-" + i, prefix + "-k" + (i % keys)));
            }
            producer.flush();
        }
    }

    static ProducerRecord<byte[], byte[]> record(String topic, String id, String key) {
        byte[] value = ByteBuffer.allocate(100)
                .putLong(System.nanoTime())
                .put(id.getBytes(StandardCharsets.UTF_8))
                .array();
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value);
        r.headers().add("event-id", id.getBytes(StandardCharsets.UTF_8));
        return r;
    }

    /** The send time written by {@link #record}. */
    static long sentNanos(byte[] value) {
        return ByteBuffer.wrap(value).getLong();
    }

    long topicBytes(Set<String> topics) {
        try {
            var dirs = admin.describeLogDirs(List.of(1)).allDescriptions().get(30, TimeUnit.SECONDS);
            long total = 0;
            for (var dir : dirs.get(1).values()) {
                for (var e : dir.replicaInfos().entrySet()) {
                    if (topics.contains(e.getKey().topic())) {
                        total += e.getValue().size();
                    }
                }
            }
            return total;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void sleepNanos(long nanos) {
        java.util.concurrent.locks.LockSupport.parkNanos(nanos);
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
