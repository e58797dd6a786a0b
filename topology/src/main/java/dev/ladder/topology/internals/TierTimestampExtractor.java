package dev.ladder.topology.internals;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * The timestamp Kafka Streams orders tier records by: 0, the earliest there is, so a task reads its
 * tier records before its main-topic backlog.
 *
 * <p>A task picks its next record from the partition whose head has the lowest timestamp. Tier
 * records carry the time they were written, always later than a backlog of main-topic records
 * produced in a burst, so without this they would wait behind the whole backlog before their
 * timers even exist, and their retries would run late by as much (measured: the 1 s tier's p99
 * lateness in the 20,000-event burst, docs/benchmarks.md scenario 7). Reading a tier record only
 * schedules its timer, so taking them first costs the main topic nothing. Nothing in Ladder reads
 * a tier record's timestamp: due times travel in the envelope, and records written by Ladder get
 * their timestamps explicitly. Stream time, which only windowed operations need, is not used.
 */
final class TierTimestampExtractor implements TimestampExtractor {

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        return 0L;
    }
}
