package dev.ladder.it;

import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/**
 * The real-broker scenario against Apache Kafka's own Docker image, for machines with Docker.
 * Without a Docker engine the whole class is disabled, so it is reported as skipped, not passed.
 */
@Testcontainers(disabledWithoutDocker = true)
class TestcontainersBrokerIT {

    @Container
    static final KafkaContainer kafka = new KafkaContainer("apache/kafka:4.1.0");

    @Test
    void shouldHandEventsOnExactlyOnceInPerKeyOrder() throws Exception {
        new TransactionalRoundTrip(kafka.getBootstrapServers()).run();
    }
}
