package dev.ladder.app.dlt;

import java.time.Duration;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * The transactional producer of operator control records, created on first use. A producer that
 * failed once (initTransactions timed out, a commit failed, it was fenced) is closed and replaced
 * on the next use: reusing it would fail every later request, since a producer whose
 * initTransactions or transaction failed is stuck in a state that refuses the next transaction.
 */
final class ControlProducer implements AutoCloseable {

    private final Supplier<Producer<byte[], byte[]>> factory;
    private Producer<byte[], byte[]> producer;

    ControlProducer(Supplier<Producer<byte[], byte[]>> factory) {
        this.factory = factory;
    }

    /**
     * Writes one record in its own transaction.
     *
     * @throws KafkaException when it could not be written; the next call starts with a new producer
     */
    synchronized void send(ProducerRecord<byte[], byte[]> record) {
        try {
            if (producer == null) {
                producer = factory.get();
                producer.initTransactions();
            }
            producer.beginTransaction();
            producer.send(record);
            producer.commitTransaction();
        } catch (KafkaException | IllegalStateException e) {
            discard();
            throw e instanceof KafkaException k ? k : new KafkaException(e.getMessage(), e);
        }
    }

    // Closing without waiting also aborts an open transaction; a new producer with the same
    // transactional id would fence this one anyway.
    private void discard() {
        Producer<byte[], byte[]> failed = producer;
        producer = null;
        if (failed != null) {
            try {
                failed.close(Duration.ZERO);
            } catch (KafkaException ignored) {
                // it is broken already; nothing more to release
            }
        }
    }

    @Override
    public synchronized void close() {
        if (producer != null) {
            producer.close();
            producer = null;
        }
    }
}
