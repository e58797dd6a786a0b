package dev.ladder.bench;

import dev.ladder.handler.Event;
import dev.ladder.handler.EventHandler;
import dev.ladder.handler.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

/**
 * The peer most Spring users would pick: a listener container with {@link DefaultErrorHandler}
 * (blocking retries with the same delays as Ladder's tiers, in the consumer thread) and a
 * {@link DeadLetterPublishingRecoverer} to {@code <main>-dlt}, built programmatically, no Spring
 * Boot and no application context. At-least-once; the handler's success is written to the output
 * topic with {@link KafkaTemplate}.
 *
 * <p>Not the non-blocking {@code @RetryableTopic}: its topic/back-off machinery
 * ({@code RetryTopicConfigurationSupport}) needs an application context and listener endpoint
 * registry; see docs/benchmarks.md.
 */
final class SpringPeer {

    private SpringPeer() {}

    /**
     * Starts the container on {@code main}, writing successes to {@code out}.
     *
     * @param delaysMs the retry delays (the tiers); empty: no retries
     */
    static AutoCloseable start(
            Cluster cluster, String main, String out, EventHandler handler, boolean createDlt, long... delaysMs) {
        cluster.createTopics(main, out);
        if (createDlt) {
            cluster.createTopics(main + "-dlt");
        }
        Map<String, Object> p = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap(), ProducerConfig.LINGER_MS_CONFIG, 5);
        KafkaTemplate<byte[], byte[]> template = new KafkaTemplate<>(
                new DefaultKafkaProducerFactory<>(p, new ByteArraySerializer(), new ByteArraySerializer()));
        Map<String, Object> c = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                cluster.bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG,
                cluster.unique("spring-group"),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false);
        ContainerProperties props = new ContainerProperties(main);
        Map<String, Integer> attempts = new ConcurrentHashMap<>();
        props.setMessageListener((MessageListener<byte[], byte[]>) record -> {
            String id = CommittedReader.id(record);
            int attempt = attempts.merge(id, 1, Integer::sum);
            Outcome outcome = call(handler, record, id, attempt);
            if (outcome instanceof Outcome.Transient t) {
                throw new IllegalStateException("transient: " + t.message());
            }
            ProducerRecord<byte[], byte[]> o =
                    new ProducerRecord<>(out, record.partition(), record.key(), record.value());
            record.headers().forEach(h -> o.headers().add(h));
            template.send(o);
        });
        ConcurrentMessageListenerContainer<byte[], byte[]> container = new ConcurrentMessageListenerContainer<>(
                new DefaultKafkaConsumerFactory<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer()), props);
        container.setConcurrency(Cluster.THREADS);
        DeadLetterPublishingRecoverer dlt = new DeadLetterPublishingRecoverer(
                template, (record, ex) -> new TopicPartition(record.topic() + "-dlt", record.partition()));
        container.setCommonErrorHandler(new DefaultErrorHandler(dlt, backOff(delaysMs)));
        container.start();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (container.getAssignedPartitions() == null
                || container.getAssignedPartitions().size() < Cluster.PARTITIONS) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Spring container got no partitions");
            }
            Cluster.sleep(20);
        }
        return () -> {
            container.stop();
            template.destroy();
        };
    }

    private static Outcome call(EventHandler handler, ConsumerRecord<byte[], byte[]> r, String id, int attempt) {
        try {
            return handler.handle(new Event(
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
            return new Outcome.Transient(e.toString(), e, null, null);
        }
    }

    /** Delays in order, then stop (the recoverer dead-letters). */
    private static BackOff backOff(long... delaysMs) {
        return () -> new BackOffExecution() {
            private int next;

            @Override
            public long nextBackOff() {
                return next < delaysMs.length ? delaysMs[next++] : BackOffExecution.STOP;
            }
        };
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
