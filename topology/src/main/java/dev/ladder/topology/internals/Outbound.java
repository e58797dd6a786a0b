package dev.ladder.topology.internals;

import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.StreamPartitioner;

/**
 * A record value on its way to a sink, with the partition it must land on. Retries, dead letters
 * and outputs go to the same partition number the event came from, whatever partitioner its
 * producer used, so that all of a key's history stays with the task that owns the key.
 *
 * @param partition target partition
 * @param value serialized value bytes (null for a tombstone)
 */
record Outbound(int partition, byte[] value) {

    /** Writes the carried bytes. */
    static final class ValueSerializer implements Serializer<Outbound> {
        @Override
        public byte[] serialize(String topic, Outbound data) {
            return data == null ? null : data.value();
        }
    }

    /** Sends each record to its carried partition. */
    static final class Partitioner implements StreamPartitioner<byte[], Outbound> {
        @Override
        public Optional<Set<Integer>> partitions(String topic, byte[] key, Outbound value, int numPartitions) {
            // the topic verification at start-up guarantees equal partition counts; the modulo only
            // keeps a misconfigured deployment from crashing the stream thread
            return Optional.of(Set.of(Math.floorMod(value.partition(), numPartitions)));
        }
    }
}
