package dev.ladder.app.dlt;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * Reads a dead-letter topic without a consumer group: it assigns every partition and seeks, so
 * inspecting never moves anyone's committed offsets. The consumer is {@code read_committed}: the
 * processor writes dead letters in transactions, and an aborted one was never a dead letter.
 */
public final class DeadLetterScanner implements AutoCloseable {

    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final DeadLetterReader reader;
    private final Duration timeout;

    /**
     * @param timeout the longest any one call to the broker may wait, and the longest a scan may go
     *     without reading a record before it fails with a {@link TimeoutException}
     */
    public DeadLetterScanner(Properties consumerProps, String topic, DeadLetterReader reader, Duration timeout) {
        this.consumer = new KafkaConsumer<>(consumerProps);
        this.topic = topic;
        this.reader = reader;
        this.timeout = timeout;
    }

    /** The reader that turns this topic's records into dead letters. */
    public DeadLetterReader reader() {
        return reader;
    }

    /**
     * Visits every dead letter that was committed when the scan started, partition by partition
     * interleaved as the broker returns them, until the visitor returns false.
     */
    public void scan(Predicate<DeadLetter> visitor) {
        List<TopicPartition> partitions = partitions();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        long idleSince = System.nanoTime();
        while (!done(end)) {
            var records = consumer.poll(POLL);
            if (records.isEmpty()) {
                if (System.nanoTime() - idleSince > timeout.toNanos()) {
                    throw new TimeoutException("no progress reading " + topic + " for " + timeout.toSeconds() + "s");
                }
                continue;
            }
            for (ConsumerRecord<byte[], byte[]> r : records) {
                TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                if (r.offset() < end.get(tp) && !visitor.test(reader.read(r))) {
                    return;
                }
            }
            // the idle time counts from the end of the visits: a paced visitor (a replay at a low
            // --rate) may take longer over one fetch than the broker is given to answer
            idleSince = System.nanoTime();
        }
    }

    /** The dead letter at {@code partition@offset}, if there is one (a committed record at that offset). */
    public Optional<DeadLetter> at(int partition, long offset) {
        TopicPartition tp = new TopicPartition(topic, partition);
        partitions();
        consumer.assign(List.of(tp));
        consumer.seek(tp, offset);
        long end = consumer.endOffsets(List.of(tp), timeout).get(tp);
        while (consumer.position(tp, timeout) < end) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                return r.offset() == offset ? Optional.of(reader.read(r)) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    /**
     * Follows the topic from its current end: visits every dead letter committed from now on until
     * the visitor returns false or {@code running} turns false. {@code onReady} runs once the start
     * positions are fixed, so anything written after it is seen.
     */
    public void follow(Predicate<DeadLetter> visitor, BooleanSupplier running, Runnable onReady) {
        List<TopicPartition> partitions = partitions();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(tp -> consumer.position(tp, timeout)); // seekToEnd is lazy: fix the positions now
        onReady.run();
        while (running.getAsBoolean()) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                if (!visitor.test(reader.read(r))) {
                    return;
                }
            }
        }
    }

    /**
     * How many records the topic holds now (end minus start offset, summed over its partitions):
     * what a {@link #scan} visits at most. Transaction markers count too, so it is an upper bound.
     */
    public long size() {
        List<TopicPartition> partitions = partitions();
        Map<TopicPartition, Long> start = consumer.beginningOffsets(partitions, timeout);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
        return partitions.stream().mapToLong(tp -> end.get(tp) - start.get(tp)).sum();
    }

    /** Partition count of a topic (e.g. a replay's target). */
    public int partitionCount(String name) {
        List<PartitionInfo> infos = consumer.partitionsFor(name, timeout);
        if (infos == null || infos.isEmpty()) {
            throw new IllegalArgumentException("topic " + name + " does not exist");
        }
        return infos.size();
    }

    /** Stops a {@link #follow} blocked in poll, from another thread (e.g. on Ctrl-C). */
    public void wakeup() {
        consumer.wakeup();
    }

    private List<TopicPartition> partitions() {
        int count = partitionCount(topic);
        return java.util.stream.IntStream.range(0, count)
                .mapToObj(p -> new TopicPartition(topic, p))
                .toList();
    }

    private boolean done(Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey(), timeout) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
