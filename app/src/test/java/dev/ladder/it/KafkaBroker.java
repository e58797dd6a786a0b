package dev.ladder.it;

import static org.awaitility.Awaitility.await;

import dev.ladder.app.embedded.EmbeddedKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that gives integration tests a real Kafka broker: one {@link EmbeddedKafka}
 * per test JVM, started the first time a test class needs it and stopped when the test run ends.
 *
 * <pre>{@code
 * @RegisterExtension static final KafkaBroker broker = KafkaBroker.shared();
 * }</pre>
 *
 * <p>Tests share the broker, so they isolate themselves by name: {@link #uniqueTopic(String)} for
 * topics, {@link #uniqueId(String)} for group ids, application ids and transactional ids. The
 * {@link #admin()} client is shared too and must not be closed by tests.
 */
public final class KafkaBroker implements BeforeAllCallback {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(KafkaBroker.class);

    private volatile Running running;

    private KafkaBroker() {}

    /** Returns an extension bound to the broker shared by every test of this JVM. */
    public static KafkaBroker shared() {
        return new KafkaBroker();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        // The root store outlives every test class and closes its AutoCloseable values when the run ends.
        running = context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(Running.class, type -> Running.start(), Running.class);
    }

    /** Returns {@code host:port} for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return running().kafka.bootstrapServers();
    }

    /** Returns an Admin client on the broker, shared by all tests: do not close it. */
    public Admin admin() {
        return running().admin;
    }

    /** Returns {@code prefix} plus a random suffix: a name no other test uses (topic, group or application id). */
    public String uniqueId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Returns a topic name no other test uses; the topic is not created (see {@link #createTopic}). */
    public String uniqueTopic(String prefix) {
        return uniqueId(prefix);
    }

    /** Creates a topic with one replica and waits for it. */
    public void createTopic(String topic, int partitions) {
        running().kafka.createTopic(topic, partitions);
    }

    /** Waits up to 60 s until the topics exist (created by a Ladder starting up, for example). */
    public void awaitTopics(String... topics) {
        await("topics " + List.of(topics) + " created")
                .atMost(Duration.ofSeconds(60))
                .until(() -> admin().listTopics().names().get().containsAll(List.of(topics)));
    }

    /**
     * Sends one record (non-transactional, idempotent, acks=all) and waits for the broker's ack.
     *
     * @param headers header values as UTF-8 strings, in iteration order
     */
    public RecordMetadata produce(String topic, String key, String value, Map<String, String> headers) {
        RecordHeaders recordHeaders = new RecordHeaders();
        headers.forEach((name, headerValue) -> recordHeaders.add(name, utf8(headerValue)));
        return produce(new ProducerRecord<>(topic, null, utf8(key), utf8(value), recordHeaders));
    }

    /** Sends one record of raw bytes and waits for the broker's ack. */
    public RecordMetadata produce(ProducerRecord<byte[], byte[]> record) {
        try {
            return running().producer.send(record).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while producing to " + record.topic(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not produce to " + record.topic(), e);
        }
    }

    /**
     * Reads {@code topic} from the beginning with {@code read_committed} until at least
     * {@code expectedCount} records arrived, then polls once more so that unexpected extra records
     * show up in the result too. Fails the test if fewer arrive within {@code timeout}.
     */
    public List<ConsumerRecord<String, String>> consumeAll(String topic, int expectedCount, Duration timeout) {
        return consumeAll(topic, expectedCount, timeout, new StringDeserializer(), new StringDeserializer());
    }

    /** Like {@link #consumeAll(String, int, Duration)}, with the given deserializers. */
    public <K, V> List<ConsumerRecord<K, V>> consumeAll(
            String topic, int expectedCount, Duration timeout, Deserializer<K> keys, Deserializer<V> values) {
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                uniqueId("it-consumer"),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false);
        try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(config, keys, values)) {
            // Manual assignment: no group rebalance to wait for, and every partition read from offset 0.
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await(expectedCount + " committed records on " + topic)
                    .atMost(timeout)
                    .pollInterval(Duration.ZERO)
                    .until(() -> {
                        consumer.poll(Duration.ofMillis(100)).forEach(records::add);
                        return records.size() >= expectedCount;
                    });
            consumer.poll(Duration.ofMillis(300)).forEach(records::add);
        }
        return records;
    }

    private Running running() {
        Running current = running;
        if (current == null) {
            throw new IllegalStateException(
                    "KafkaBroker is used before beforeAll; register it with @RegisterExtension on a static field");
        }
        return current;
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    /** The broker of this JVM and the clients the helpers share. */
    private static final class Running implements AutoCloseable {
        private final EmbeddedKafka kafka;
        private final Admin admin;
        private final KafkaProducer<byte[], byte[]> producer;

        private Running(EmbeddedKafka kafka) {
            this.kafka = kafka;
            this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
            this.producer = new KafkaProducer<>(
                    Map.of(
                            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            kafka.bootstrapServers(),
                            ProducerConfig.ACKS_CONFIG,
                            "all",
                            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                            true,
                            ProducerConfig.LINGER_MS_CONFIG,
                            0),
                    new ByteArraySerializer(),
                    new ByteArraySerializer());
        }

        static Running start() {
            return new Running(new EmbeddedKafka().start());
        }

        @Override
        public void close() {
            producer.close(Duration.ofSeconds(5));
            admin.close(Duration.ofSeconds(5));
            kafka.close();
        }
    }
}
