package dev.ladder.app.dlt;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.query.KeyQuery;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.RangeQuery;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.state.KeyValueIterator;

/**
 * Interactive queries (IQv2) on the processor's stores, over every partition this instance hosts as
 * the active task. Standbys are not asked: they may lag, and an answer from both would count twice.
 * A partition that cannot answer right now (e.g. while it is restoring) is skipped.
 */
final class StoreQueries {

    private StoreQueries() {}

    /** The value of {@code key} in every local partition that has it, by partition. */
    static Map<Integer, byte[]> get(KafkaStreams streams, String store, byte[] key) {
        StateQueryResult<byte[]> result = streams.query(StateQueryRequest.inStore(store)
                .withQuery(KeyQuery.<Bytes, byte[]>withKey(Bytes.wrap(key)))
                .requireActive());
        Map<Integer, byte[]> found = new TreeMap<>();
        for (Map.Entry<Integer, QueryResult<byte[]>> e :
                result.getPartitionResults().entrySet()) {
            if (e.getValue().isSuccess() && e.getValue().getResult() != null) {
                found.put(e.getKey(), e.getValue().getResult());
            }
        }
        return found;
    }

    /**
     * Visits every entry of the store in every local partition. This is a full scan: fine for the
     * keys store, which holds only keys with a retrying head or that are held.
     */
    static void scan(KafkaStreams streams, String store, BiConsumer<Integer, KeyValue<Bytes, byte[]>> visitor) {
        StateQueryResult<KeyValueIterator<Bytes, byte[]>> result = streams.query(StateQueryRequest.inStore(store)
                .withQuery(RangeQuery.<Bytes, byte[]>withNoBounds())
                .requireActive());
        for (Map.Entry<Integer, QueryResult<KeyValueIterator<Bytes, byte[]>>> e :
                result.getPartitionResults().entrySet()) {
            if (!e.getValue().isSuccess()) {
                continue;
            }
            try (KeyValueIterator<Bytes, byte[]> it = e.getValue().getResult()) {
                it.forEachRemaining(kv -> visitor.accept(e.getKey(), kv));
            }
        }
    }
}
