package dev.ladder.app.dlt;

import dev.ladder.downstream.TokenBucket;
import dev.ladder.policy.RateLimitSettings;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * Sends chosen dead letters back (see {@link ReplayRecords}) through a transactional producer, at
 * most {@code rate} a second (the library's {@link TokenBucket} with a tenth of a second of burst,
 * so the rate holds over any window of a second or more). Ladder's own records found in a
 * dead-letter topic (control records, unreadable tier records) are never sent as events: each is
 * reported with its reason and counted. Records are committed in transactions of up to 5000
 * records or one second, so a crash mid-way leaves whole batches; running the replay again is safe
 * because the processor drops replay ids it has seen.
 */
public final class Replayer {

    /**
     * What a replay did.
     *
     * @param replayed records sent
     * @param skipped dead letters the filter did not select
     * @param failed records of a transaction that could not commit
     * @param internal selected dead letters that are Ladder's own records, not events, and were not sent
     */
    public record Result(long replayed, long skipped, long failed, long internal) {
        /** The final count line. */
        public String summary() {
            String line = "replayed " + replayed + ", skipped " + skipped + " (filtered), failed " + failed;
            return internal == 0
                    ? line
                    : line + ", not replayed " + internal + " (Ladder's own records, not events; reasons above)";
        }
    }

    /** The rate of a dry run: no pacing, as nothing is sent. */
    public static final double UNPACED = Double.POSITIVE_INFINITY;

    private static final int TXN_RECORDS = 5000;
    private static final long TXN_NANOS = 1_000_000_000L;
    /** Burst of the pacing bucket: a tenth of a second of the rate. */
    private static final double BURST_SECONDS = 0.1;

    private final Producer<byte[], byte[]> producer;
    private final ReplayRecords.Target target;
    private final TokenBucket bucket;
    private final PrintWriter out;
    private final PrintWriter err;

    /**
     * @param producer a transactional producer, or null for a dry run (prints what it would send)
     * @param rate records a second, > 0; {@link #UNPACED} for a dry run, which sends nothing
     */
    public Replayer(
            Producer<byte[], byte[]> producer,
            ReplayRecords.Target target,
            double rate,
            PrintWriter out,
            PrintWriter err) {
        if (!(rate > 0)) {
            throw new IllegalArgumentException("rate must be > 0, not " + rate);
        }
        this.producer = producer;
        this.target = target;
        this.bucket = Double.isInfinite(rate) ? null : new TokenBucket(rate, BURST_SECONDS);
        this.out = out;
        this.err = err;
    }

    /** Replays every dead letter the scanner finds that {@code selected} accepts. */
    public Result run(DeadLetterScanner scanner, Predicate<DeadLetter> selected) throws InterruptedException {
        return run(scanner, selected, null, counts -> {});
    }

    /**
     * Replays every dead letter the scanner finds that {@code selected} accepts, telling
     * {@code progress} the counts so far after each dead letter (records of an open transaction
     * count as replayed) and when it is done.
     */
    public Result run(DeadLetterScanner scanner, Predicate<DeadLetter> selected, Consumer<Result> progress)
            throws InterruptedException {
        return run(scanner, selected, null, progress);
    }

    /** Replays every dead letter the scanner finds that {@code selected} accepts, showing {@code bar}. */
    public Result run(DeadLetterScanner scanner, Predicate<DeadLetter> selected, ReplayProgress bar)
            throws InterruptedException {
        return run(scanner, selected, bar, counts -> {});
    }

    private Result run(
            DeadLetterScanner scanner, Predicate<DeadLetter> selected, ReplayProgress bar, Consumer<Result> progress)
            throws InterruptedException {
        long start = System.nanoTime();
        long[] counts = new long[4]; // replayed, skipped, failed, internal
        long[] pending = {0};
        long[] txnStart = {start};
        if (producer != null) {
            producer.initTransactions();
            producer.beginTransaction();
        }
        InterruptedException[] interrupted = {null};
        try {
            scanner.scan(d -> {
                if (bar != null) {
                    bar.update(counts[0] + pending[0] + counts[1] + counts[3], counts[0] + pending[0]);
                }
                if (!selected.test(d)) {
                    counts[1]++;
                    progress.accept(new Result(counts[0] + pending[0], counts[1], counts[2], counts[3]));
                    return true;
                }
                ReplayRecords.Replay replay = ReplayRecords.plan(d, target, scanner.reader());
                if (replay instanceof ReplayRecords.Replay.Skip skip) {
                    counts[3]++;
                    err.println("not replayed " + d.dltTopic() + "-" + d.coordinates() + ": " + skip.reason()
                            + ", not an event");
                    progress.accept(new Result(counts[0] + pending[0], counts[1], counts[2], counts[3]));
                    return true;
                }
                ProducerRecord<byte[], byte[]> record = ((ReplayRecords.Replay.Send) replay).record();
                DeadLetter event = ((ReplayRecords.Replay.Send) replay).event();
                try {
                    long wait = bucket == null ? 0 : bucket.reserve(System.currentTimeMillis());
                    if (wait > 0) {
                        Thread.sleep(wait);
                    }
                } catch (InterruptedException e) {
                    interrupted[0] = e;
                    return false;
                }
                if (producer == null) {
                    out.println(DeadLetterPrinter.json(dryRunView(event, record)));
                    counts[0]++;
                } else {
                    producer.send(record);
                    pending[0]++;
                    long now = System.nanoTime();
                    if (pending[0] >= TXN_RECORDS || now - txnStart[0] >= TXN_NANOS) {
                        producer.commitTransaction();
                        counts[0] += pending[0];
                        pending[0] = 0;
                        txnStart[0] = now;
                        producer.beginTransaction();
                    }
                }
                progress.accept(new Result(counts[0] + pending[0], counts[1], counts[2], counts[3]));
                return true;
            });
            if (producer != null) {
                producer.commitTransaction();
                counts[0] += pending[0];
                pending[0] = 0;
            }
        } catch (KafkaException e) {
            err.println("replay failed: " + e.getMessage() + "; the records of the open transaction were not sent");
            counts[2] += pending[0];
            if (producer != null) {
                try {
                    producer.abortTransaction();
                } catch (KafkaException ignored) {
                    // the producer is fenced or broken; closing it is all that is left
                }
            }
        }
        if (bar != null) {
            bar.finish(counts[0] + counts[1] + counts[2] + counts[3], counts[0]);
        }
        if (interrupted[0] != null) {
            if (producer != null) {
                producer.abortTransaction();
                counts[2] += pending[0];
            }
            throw interrupted[0];
        }
        Result result = new Result(counts[0], counts[1], counts[2], counts[3]);
        progress.accept(result);
        return result;
    }

    /**
     * The rate a replay runs at unless told: the instance's cap on calls when one is set (a replay
     * faster than that only builds a backlog), else the drain rate, which is what Ladder itself
     * sends a downstream that has just come back (the default drain rate when that ramp is off).
     */
    public static double defaultRate(RateLimitSettings limits) {
        if (limits.callsPerSecond() > 0) {
            return limits.callsPerSecond();
        }
        return limits.drainRate() > 0
                ? limits.drainRate()
                : RateLimitSettings.defaults().drainRate();
    }

    private static Map<String, Object> dryRunView(DeadLetter d, ProducerRecord<byte[], byte[]> r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dlt", d.dltTopic() + "-" + d.coordinates());
        m.put("to", r.topic());
        m.put("partition", r.partition());
        m.put("key", d.keyText());
        m.put("replayId", ReplayRecords.replayId(d));
        m.put("format", d.format().name().toLowerCase(java.util.Locale.ROOT));
        return m;
    }
}
