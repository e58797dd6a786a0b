package dev.ladder.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class EmbeddedBrokerIT {

    @RegisterExtension
    static final KafkaBroker broker = KafkaBroker.shared();

    @Test
    void shouldHandEventsOnExactlyOnceInPerKeyOrder() throws Exception {
        new TransactionalRoundTrip(broker.bootstrapServers()).run();
    }

    @Test
    void shouldKeepKeysAndHeadersOfProducedRecords() {
        // given a fresh 3-partition topic
        String topic = broker.uniqueTopic("harness");
        broker.createTopic(topic, 3);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("event-id", "e-1");
        headers.put("kafka_dlt-original-topic", "orders");

        // when a record is produced through the harness
        broker.produce(topic, "k", "v", headers);

        // then consumeAll returns it with key, value and headers intact
        List<ConsumerRecord<String, String>> records = broker.consumeAll(topic, 1, Duration.ofSeconds(30));
        assertThat(records).singleElement().satisfies(record -> {
            assertThat(record.key()).isEqualTo("k");
            assertThat(record.value()).isEqualTo("v");
            assertThat(new String(record.headers().lastHeader("event-id").value(), StandardCharsets.UTF_8))
                    .isEqualTo("e-1");
            assertThat(record.headers().toArray()).hasSize(2);
        });
    }

    @Test
    void shouldGiveEveryTestItsOwnNames() {
        assertThat(broker.uniqueTopic("orders")).startsWith("orders-").isNotEqualTo(broker.uniqueTopic("orders"));
        assertThat(broker.bootstrapServers()).startsWith("127.0.0.1:");
        assertThat(broker.admin()).isNotNull();
    }
}
