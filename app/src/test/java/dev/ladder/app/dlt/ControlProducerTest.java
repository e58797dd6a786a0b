package dev.ladder.app.dlt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class ControlProducerTest {

    private static final ProducerRecord<byte[], byte[]> RELEASE =
            new ProducerRecord<>("orders-retry-1m", 0, new byte[] {'K'}, null);

    @Test
    void shouldRecoverAfterAFailedInitTransactions() {
        // given a broker that times out the first initTransactions, then answers
        MockProducer<byte[], byte[]> broken = producer();
        broken.initTransactionException =
                new TimeoutException("Timeout expired after 60000ms while awaiting InitProducerId");
        MockProducer<byte[], byte[]> healthy = producer();
        Deque<MockProducer<byte[], byte[]>> made = new ArrayDeque<>(List.of(broken, healthy));
        ControlProducer control = new ControlProducer(made::removeFirst);

        // when the first release fails
        assertThatThrownBy(() -> control.send(RELEASE))
                .isInstanceOf(KafkaException.class)
                .hasMessageContaining("InitProducerId");

        // then the next one gets a fresh producer and goes through; the broken one was closed
        control.send(RELEASE);
        assertThat(healthy.history()).containsExactly(RELEASE);
        assertThat(healthy.transactionCommitted()).isTrue();
        assertThat(broken.closed()).isTrue();
    }

    @Test
    void shouldRecoverAfterAFailedCommit() {
        // given a producer whose commit fails once (e.g. fenced by a restarted twin)
        MockProducer<byte[], byte[]> fenced = producer();
        MockProducer<byte[], byte[]> next = producer();
        Deque<MockProducer<byte[], byte[]>> made = new ArrayDeque<>(List.of(fenced, next));
        ControlProducer control = new ControlProducer(made::removeFirst);
        control.send(RELEASE);
        fenced.commitTransactionException = new KafkaException("fenced");

        // when
        assertThatThrownBy(() -> control.send(RELEASE)).isInstanceOf(KafkaException.class);
        control.send(RELEASE);

        // then
        assertThat(next.history()).containsExactly(RELEASE);
        assertThat(fenced.closed()).isTrue();
    }

    private static MockProducer<byte[], byte[]> producer() {
        return new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    }
}
