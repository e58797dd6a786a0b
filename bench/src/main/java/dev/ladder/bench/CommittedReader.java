package dev.ladder.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A {@code read_committed} consumer of whole topics (assigned, not subscribed: no group, no
 * rebalance) that notes, for every record, when it became visible here.
 */
final class CommittedReader implements AutoCloseable {

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Set<String> ids = new HashSet<>();
    private final List<Long> latenciesNanos = new ArrayList<>();
    private long lastNewNanos;

    CommittedReader(String bootstrap, List<String> topics, int partitions) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> tps = new ArrayList<>();
        for (String t : topics) {
            for (int i = 0; i < partitions; i++) {
                tps.add(new TopicPartition(t, i));
            }
        }
        consumer.assign(tps);
        consumer.seekToBeginning(tps);
    }

    /** Polls once; new distinct ids are counted and their end-to-end latency recorded. */
    int poll(Duration timeout, Consumer<ConsumerRecord<byte[], byte[]>> each) {
        int fresh = 0;
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
            long now = System.nanoTime();
            if (each != null) {
                each.accept(r);
            }
            String id = id(r);
            if (id != null && ids.add(id)) {
                fresh++;
                lastNewNanos = now;
                if (r.value() != null && r.value().length >= 8) {
                    latenciesNanos.add(now - Cluster.sentNanos(r.value()));
                }
            }
        }
        return fresh;
    }

    /** Polls until {@code expected} distinct ids were seen; returns false on timeout. */
    boolean awaitIds(int expected, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (ids.size() < expected) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            poll(Duration.ofMillis(50), null);
        }
        return true;
    }

    static String id(ConsumerRecord<byte[], byte[]> r) {
        Header h = r.headers().lastHeader("event-id");
        if (h == null) {
            h = r.headers().lastHeader("ladder-event-id");
        }
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    int count() {
        return ids.size();
    }

    long lastNewNanos() {
        return lastNewNanos;
    }

    List<Long> latenciesNanos() {
        return latenciesNanos;
    }

    void resetLatencies() {
        latenciesNanos.clear();
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
