package dev.ladder.bench;

import dev.ladder.handler.Event;
import dev.ladder.handler.EventHandler;
import dev.ladder.handler.Outcome;
import io.confluent.parallelconsumer.PCRetriableException;
import io.confluent.parallelconsumer.ParallelConsumerOptions;
import io.confluent.parallelconsumer.ParallelConsumerOptions.CommitMode;
import io.confluent.parallelconsumer.ParallelConsumerOptions.ProcessingOrder;
import io.confluent.parallelconsumer.ParallelStreamProcessor;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Confluent Parallel Consumer: per-key ordering with many keys in flight at once ({@code
 * maxConcurrency}), failed records retried in memory after a delay chosen per attempt. One
 * instance; at-least-once (periodic async consumer commits), no DLT, no persisted delay tiers.
 */
final class ParallelConsumerPeer {

    /** Records in flight at once, across keys. */
    static final int MAX_CONCURRENCY = 64;

    private ParallelConsumerPeer() {}

    /**
     * How the peer runs.
     *
     * @param maxConcurrency records in flight at once, across keys
     * @param delaysMs the delay before retry n (n = 1, 2, …; the last one repeats); empty: 1 s
     * @param maxAttempts attempts before a transient failure is dead-lettered ({@code Integer.MAX_VALUE}: retry for ever)
     * @param deadLetter where rejected and exhausted records go (PC has no DLT of its own: the user function
     *     produces them there); null: nowhere, they retry for ever
     */
    record Options(int maxConcurrency, long[] delaysMs, int maxAttempts, String deadLetter) {}

    /** Retries every transient failure for ever after {@code delaysMs}, {@value #MAX_CONCURRENCY} in flight. */
    static AutoCloseable start(Cluster cluster, String main, String out, EventHandler handler, long... delaysMs) {
        return start(cluster, main, out, handler, new Options(MAX_CONCURRENCY, delaysMs, Integer.MAX_VALUE, null));
    }

    static AutoCloseable start(Cluster cluster, String main, String out, EventHandler handler, Options options) {
        long[] delaysMs = options.delaysMs();
        if (options.deadLetter() == null) {
            cluster.createTopics(main, out);
        } else {
            cluster.createTopics(main, out, options.deadLetter());
        }
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, cluster.unique("pc-group"));
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        KafkaProducer<byte[], byte[]> producer = cluster.producer();
        ParallelConsumerOptions<byte[], byte[]> pcOptions = ParallelConsumerOptions.<byte[], byte[]>builder()
                .ordering(ProcessingOrder.KEY)
                .maxConcurrency(options.maxConcurrency())
                .commitMode(CommitMode.PERIODIC_CONSUMER_ASYNCHRONOUS)
                .consumer(consumer)
                .producer(producer)
                .retryDelayProvider(ctx -> Duration.ofMillis(
                        delaysMs.length == 0
                                ? 1_000
                                : delaysMs[
                                        Math.max(1, Math.min(delaysMs.length, ctx.getNumberOfFailedAttempts())) - 1]))
                .build();
        ParallelStreamProcessor<byte[], byte[]> pc = ParallelStreamProcessor.createEosStreamProcessor(pcOptions);
        pc.subscribe(List.of(main));
        pc.pollAndProduce(context -> {
            ConsumerRecord<byte[], byte[]> r = context.getSingleConsumerRecord();
            String id = CommittedReader.id(r);
            int attempt = context.getSingleRecord().getNumberOfFailedAttempts() + 1;
            Outcome outcome;
            try {
                outcome = handler.handle(new Event(
                        id,
                        r.key(),
                        r.value(),
                        r.headers(),
                        r.topic(),
                        r.partition(),
                        r.offset(),
                        r.timestamp(),
                        attempt,
                        attempt - 1,
                        List.of()));
            } catch (Exception e) {
                outcome = Outcome.retry(String.valueOf(e));
            }
            String target = out;
            if (outcome instanceof Outcome.Transient t) {
                if (options.deadLetter() == null || attempt < options.maxAttempts()) {
                    // PC retries a record whose function throws, after retryDelayProvider's delay; this
                    // exception is its documented retry signal (logged at debug, not as an error)
                    throw new PCRetriableException("transient: " + t.message());
                }
                target = options.deadLetter();
            } else if (outcome instanceof Outcome.Permanent && options.deadLetter() != null) {
                target = options.deadLetter();
            }
            ProducerRecord<byte[], byte[]> o = new ProducerRecord<>(target, r.partition(), r.key(), r.value());
            r.headers().forEach(h -> o.headers().add(h));
            return o;
        });
        return pc::close;
    }
}
