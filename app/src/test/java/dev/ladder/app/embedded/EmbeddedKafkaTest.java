package dev.ladder.app.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class EmbeddedKafkaTest {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaTest.class);

    @Test
    void shouldServeTransactionsAndDeleteItsDataOnClose() throws Exception {
        // given a started broker
        long startNanos = System.nanoTime();
        EmbeddedKafka kafka = new EmbeddedKafka().start();
        log.info(
                "Embedded broker start took {} ms",
                Duration.ofNanos(System.nanoTime() - startNanos).toMillis());
        Path dataDir = kafka.dataDir();
        try (kafka) {
            assertThat(kafka.bootstrapServers()).startsWith("127.0.0.1:").doesNotEndWith(":9092");
            kafka.createTopic("tx-round-trip", 3);

            // when one transaction commits and a later one aborts
            try (KafkaProducer<String, String> producer = transactionalProducer(kafka.bootstrapServers())) {
                producer.initTransactions();
                producer.beginTransaction();
                IntStream.range(0, 30)
                        .forEach(i ->
                                producer.send(new ProducerRecord<>("tx-round-trip", "key-" + i % 5, "committed-" + i)));
                producer.commitTransaction();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("tx-round-trip", "key-0", "aborted"));
                producer.flush();
                producer.abortTransaction();
            }

            // then a read_committed consumer sees every committed record, on all 3 partitions, and nothing aborted
            List<ConsumerRecord<String, String>> records =
                    readCommitted(kafka.bootstrapServers(), "tx-round-trip", 3, 30);
            assertThat(records)
                    .extracting(ConsumerRecord::value)
                    .doesNotContain("aborted")
                    .hasSize(30);
            assertThat(records.stream().map(ConsumerRecord::partition).collect(Collectors.toSet()))
                    .hasSizeGreaterThan(1);
            assertThat(dataDir).isDirectory();
        }
        assertThat(Files.exists(dataDir))
                .as("data dir %s deleted on close", dataDir)
                .isFalse();
    }

    @Test
    void shouldRefuseClientsAfterClose() throws Exception {
        // given a broker that was started and closed
        EmbeddedKafka kafka = new EmbeddedKafka().start();
        String bootstrap = kafka.bootstrapServers();
        kafka.close();
        kafka.close();

        // then its port no longer serves Kafka, and the handle says it is stopped
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 1000))) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get())
                    .hasCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
        }
        assertThatThrownBy(kafka::bootstrapServers).isInstanceOf(IllegalStateException.class);
    }

    private static KafkaProducer<String, String> transactionalProducer(String bootstrap) {
        return new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                        "embedded-kafka-test",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true),
                new StringSerializer(),
                new StringSerializer());
    }

    private static List<ConsumerRecord<String, String>> readCommitted(
            String bootstrap, String topic, int partitions, int expected) {
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                new StringDeserializer(),
                new StringDeserializer())) {
            Set<TopicPartition> assignment = IntStream.range(0, partitions)
                    .mapToObj(p -> new TopicPartition(topic, p))
                    .collect(Collectors.toSet());
            consumer.assign(assignment);
            consumer.seekToBeginning(assignment);
            await("committed records on " + topic)
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> {
                        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                        return records.size() >= expected;
                    });
            // one more poll: anything beyond the expected records (an aborted one, say) would show up here
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        }
        return records;
    }
}
