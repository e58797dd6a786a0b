package dev.ladder.app.dlt;

import java.time.Instant;
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
import org.apache.kafka.streams.query.WindowKeyQuery;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.WindowStoreIterator;

/**
 * Interactive queries (IQv2) on the processor's stores, over every partition this instance hosts as
 * the active task. Standbys are not asked: they may lag, and an answer from both would count twice.
 * A partition that cannot answer right now (e.g. while it is restoring) is skipped.
 */
public final class StoreQueries {

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
     * The newest value of {@code key} in a window store, in every local partition that has it, by
     * partition: for the finished-ids store, where an id sits at its finish time.
     */
    static Map<Integer, byte[]> newest(KafkaStreams streams, String store, byte[] key) {
        StateQueryResult<WindowStoreIterator<byte[]>> result = streams.query(StateQueryRequest.inStore(store)
                .withQuery(WindowKeyQuery.<Bytes, byte[]>withKeyAndWindowStartRange(
                        Bytes.wrap(key), Instant.EPOCH, Instant.ofEpochMilli(Long.MAX_VALUE)))
                .requireActive());
        Map<Integer, byte[]> found = new TreeMap<>();
        for (Map.Entry<Integer, QueryResult<WindowStoreIterator<byte[]>>> e :
                result.getPartitionResults().entrySet()) {
            if (!e.getValue().isSuccess()) {
                continue;
            }
            try (WindowStoreIterator<byte[]> it = e.getValue().getResult()) {
                // oldest first: the last one is the newest
                it.forEachRemaining(kv -> found.put(e.getKey(), kv.value));
            }
        }
        return found;
    }

    /**
     * Visits every entry of the store in every local partition. This is a full scan: fine for the
     * keys store, which holds only keys with a retrying head or that are held.
     */
    static void scan(KafkaStreams streams, String store, BiConsumer<Integer, KeyValue<Bytes, byte[]>> visitor) {
        scan(streams, store, Integer.MAX_VALUE, visitor);
    }

    /**
     * Visits entries of the store in every local partition, {@code limit} at most in all. Still a
     * scan: for a console look at a store that may be large (the timers), not for a hot path.
     */
    public static void scan(
            KafkaStreams streams, String store, int limit, BiConsumer<Integer, KeyValue<Bytes, byte[]>> visitor) {
        int[] visited = {0};
        StateQueryResult<KeyValueIterator<Bytes, byte[]>> result = streams.query(StateQueryRequest.inStore(store)
                .withQuery(RangeQuery.<Bytes, byte[]>withNoBounds())
                .requireActive());
        for (Map.Entry<Integer, QueryResult<KeyValueIterator<Bytes, byte[]>>> e :
                result.getPartitionResults().entrySet()) {
            if (!e.getValue().isSuccess()) {
                continue;
            }
            try (KeyValueIterator<Bytes, byte[]> it = e.getValue().getResult()) {
                while (it.hasNext() && visited[0] < limit) {
                    visitor.accept(e.getKey(), it.next());
                    visited[0]++;
                }
            }
        }
    }
}
