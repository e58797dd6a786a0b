package dev.ladder.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.policy.LadderSettings;
import dev.ladder.policy.RetryPolicy;
import dev.ladder.policy.Tier;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** The Streams settings Ladder relies on. */
class StreamsDefaultsTest {

    private static final String TX_TIMEOUT = StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG);

    @Test
    void shouldRunExactlyOnceWithExplicitNaming() {
        Properties props = LadderTopology.streamsDefaults();
        assertThat(props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)).isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
        assertThat(props.get(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG))
                .isEqualTo(true);
    }

    @Test
    void shouldKeepTransactionsOpenLongerThanTheSlowestAttempt() {
        // given a 2-minute handler timeout with two immediate retries: an attempt can take 6 minutes
        LadderSettings settings = LadderSettings.builder("orders")
                .policy(RetryPolicy.of(Tier.of(Duration.ofMinutes(1), 1)).withImmediateRetries(2, Duration.ZERO))
                .handlerTimeout(Duration.ofMinutes(2))
                .build();

        // when / then
        assertThat((int) LadderTopology.streamsDefaults(settings).get(TX_TIMEOUT))
                .isGreaterThan((int) Duration.ofMinutes(6).toMillis())
                .isLessThanOrEqualTo((int) Duration.ofMinutes(15).toMillis());
        assertThat((int) LadderTopology.streamsDefaults(
                                LadderSettings.builder("orders").build())
                        .get(TX_TIMEOUT))
                .isGreaterThanOrEqualTo((int) Duration.ofSeconds(60).toMillis());
    }
}
