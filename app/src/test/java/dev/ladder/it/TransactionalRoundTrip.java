package dev.ladder.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The broker scenario every real-broker test suite runs, whatever starts the broker: the
 * exactly-once hand-off Ladder relies on between topics, done by hand with the plain clients.
 *
 * <ol>
 *   <li>A transactional producer writes {@value #KEYS} keys x {@value #EVENTS_PER_KEY} events into a
 *       3-partition input topic over several transactions, and aborts one more.
 *   <li>A relay reads the input {@code read_committed} and, per poll, writes every record to a
 *       3-partition output topic and commits its consumer offsets in the same transaction.
 *   <li>The output holds every committed event exactly once, nothing aborted, each key's events in
 *       order; the relay's committed offsets reach the end of the input.
 * </ol>
 */
final class TransactionalRoundTrip {

    static final int KEYS = 6;
    static final int EVENTS_PER_KEY = 20;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final String bootstrapServers;
    private final String input;
    private final String output;
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);

    TransactionalRoundTrip(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
        this.input = "round-trip-in-" + suffix;
        this.output = "round-trip-out-" + suffix;
    }

    /** Runs the scenario and asserts its outcome. */
    void run() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            admin.createTopics(List.of(new NewTopic(input, 3, (short) 1), new NewTopic(output, 3, (short) 1)))
                    .all()
                    .get();
            produceInput();
            String group = "round-trip-relay-" + suffix;
            relay(group);

            List<ConsumerRecord<String, String>> out = readCommitted(output, KEYS * EVENTS_PER_KEY);
            assertThat(out)
                    .extracting(ConsumerRecord::value)
                    .doesNotContain("aborted")
                    .doesNotHaveDuplicates();
            assertThat(out).hasSize(KEYS * EVENTS_PER_KEY);
            assertThat(out.stream().map(ConsumerRecord::partition).distinct()).hasSizeGreaterThan(1);
            Map<String, List<String>> perKey = out.stream()
                    .collect(Collectors.groupingBy(
                            ConsumerRecord::key, Collectors.mapping(ConsumerRecord::value, Collectors.toList())));
            perKey.forEach(
                    (key, values) -> assertThat(values).as("order of %s", key).isEqualTo(expectedValues(key)));

            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get();
            assertThat(committed.values().stream()
                            .mapToLong(OffsetAndMetadata::offset)
                            .sum())
                    .as("relay offsets committed with its transactions")
                    .isGreaterThanOrEqualTo(KEYS * EVENTS_PER_KEY);
        }
    }

    private void produceInput() {
        try (KafkaProducer<String, String> producer = producer("round-trip-writer-" + suffix)) {
            producer.initTransactions();
            for (int batch = 0; batch < EVENTS_PER_KEY; batch += 5) {
                producer.beginTransaction();
                for (int seq = batch; seq < batch + 5; seq++) {
                    for (int k = 0; k < KEYS; k++) {
                        producer.send(new ProducerRecord<>(input, "key-" + k, "key-" + k + "#" + seq));
                    }
                }
                producer.commitTransaction();
            }
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(input, "key-0", "aborted"));
            producer.flush();
            producer.abortTransaction();
        }
    }

    private void relay(String group) {
        Map<String, Object> config = new HashMap<>(consumerConfig());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        AtomicInteger relayed = new AtomicInteger();
        try (KafkaProducer<String, String> producer = producer("round-trip-relay-" + suffix);
                KafkaConsumer<String, String> consumer =
                        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
            producer.initTransactions();
            consumer.subscribe(List.of(input));
            await("relay of " + input + " to " + output)
                    .atMost(TIMEOUT)
                    .pollInterval(Duration.ZERO)
                    .until(() -> {
                        var records = consumer.poll(Duration.ofMillis(200));
                        if (records.isEmpty()) {
                            return false;
                        }
                        producer.beginTransaction();
                        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                        for (ConsumerRecord<String, String> record : records) {
                            producer.send(new ProducerRecord<>(output, record.key(), record.value()));
                            offsets.put(
                                    new TopicPartition(record.topic(), record.partition()),
                                    new OffsetAndMetadata(record.offset() + 1));
                        }
                        producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                        producer.commitTransaction();
                        return relayed.addAndGet(records.count()) >= KEYS * EVENTS_PER_KEY;
                    });
        }
    }

    private List<ConsumerRecord<String, String>> readCommitted(String topic, int expected) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(consumerConfig(), new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .collect(Collectors.toList());
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await(expected + " records on " + topic)
                    .atMost(TIMEOUT)
                    .pollInterval(Duration.ZERO)
                    .until(() -> {
                        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                        return records.size() >= expected;
                    });
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        }
        return records;
    }

    private KafkaProducer<String, String> producer(String transactionalId) {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId),
                new StringSerializer(),
                new StringSerializer());
    }

    private Map<String, Object> consumerConfig() {
        return Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false);
    }

    private static List<String> expectedValues(String key) {
        List<String> values = new ArrayList<>();
        for (int seq = 0; seq < EVENTS_PER_KEY; seq++) {
            values.add(key + "#" + seq);
        }
        return values;
    }
}
