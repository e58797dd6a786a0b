package dev.ladder.app.console;

import dev.ladder.app.dlt.StoreQueries;
import dev.ladder.avro.RetryEnvelope;
import dev.ladder.serde.AvroCodec;
import dev.ladder.serde.RetryStores;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.KafkaStreams;

/**
 * The retries waiting on this instance, per tier: how many, how many are due within the next
 * minute, and how long the oldest has been retrying. Read from the timers store by a scan of every
 * local partition, cut at {@value #MAX_TIMERS} timers: a console refresh must stay cheap even with
 * a large backlog (the {@code ladder_timers_pending} gauge has the exact total).
 */
final class TierBacklog {

    /** The most timers one look reads. */
    static final int MAX_TIMERS = 100_000;

    /** One tier's backlog. */
    record Tier(int waiting, int dueNextMinute, Long oldestFirstAttempt) {}

    /**
     * @param tiers by tier number (1-based)
     * @param truncated true when the scan stopped at {@link #MAX_TIMERS}
     */
    record Backlog(Map<Integer, Tier> tiers, boolean truncated) {}

    private TierBacklog() {}

    static Backlog of(KafkaStreams streams, long now) {
        Map<Integer, int[]> counts = new TreeMap<>();
        Map<Integer, Long> oldest = new TreeMap<>();
        int[] seen = {0};
        long soon = now + Duration.ofMinutes(1).toMillis();
        StoreQueries.scan(streams, RetryStores.TIMERS, MAX_TIMERS, (partition, kv) -> {
            seen[0]++;
            RetryEnvelope envelope = AvroCodec.ENVELOPE.decode(kv.value);
            int[] c = counts.computeIfAbsent(envelope.getTier(), t -> new int[2]);
            c[0]++;
            if (envelope.getDueTime() != null && envelope.getDueTime() <= soon) {
                c[1]++;
            }
            oldest.merge(envelope.getTier(), envelope.getFirstAttemptTime(), Math::min);
        });
        Map<Integer, Tier> tiers = new TreeMap<>();
        counts.forEach((tier, c) -> tiers.put(tier, new Tier(c[0], c[1], oldest.get(tier))));
        return new Backlog(tiers, seen[0] >= MAX_TIMERS);
    }
}
