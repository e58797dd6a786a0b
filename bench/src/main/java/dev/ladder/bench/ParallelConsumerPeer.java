package dev.ladder.bench;

import dev.ladder.handler.Event;
import dev.ladder.handler.EventHandler;
import dev.ladder.handler.Outcome;
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

    static AutoCloseable start(Cluster cluster, String main, String out, EventHandler handler, long... delaysMs) {
        cluster.createTopics(main, out);
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, cluster.unique("pc-group"));
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        KafkaConsumer<byte[], byte[]> consumer =
                new KafkaConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        KafkaProducer<byte[], byte[]> producer = cluster.producer();
        ParallelConsumerOptions<byte[], byte[]> options = ParallelConsumerOptions.<byte[], byte[]>builder()
                .ordering(ProcessingOrder.KEY)
                .maxConcurrency(MAX_CONCURRENCY)
                .commitMode(CommitMode.PERIODIC_CONSUMER_ASYNCHRONOUS)
                .consumer(consumer)
                .producer(producer)
                .retryDelayProvider(ctx -> Duration.ofMillis(
                        delaysMs.length == 0
                                ? 1_000
                                : delaysMs[
                                        Math.max(1, Math.min(delaysMs.length, ctx.getNumberOfFailedAttempts())) - 1]))
                .build();
        ParallelStreamProcessor<byte[], byte[]> pc = ParallelStreamProcessor.createEosStreamProcessor(options);
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
                throw new IllegalStateException(e);
            }
            if (outcome instanceof Outcome.Transient t) {
                throw new IllegalStateException("transient: " + t.message());
            }
            ProducerRecord<byte[], byte[]> o = new ProducerRecord<>(out, r.partition(), r.key(), r.value());
            r.headers().forEach(h -> o.headers().add(h));
            return o;
        });
        return pc::close;
    }
}
