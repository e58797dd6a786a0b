package dev.ladder.serde;

import dev.ladder.avro.RetryEnvelope;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The default envelope serde: Avro single-object encoding, no schema registry needed. A library
 * user can pass any other {@code Serde<RetryEnvelope>} (for example a schema-registry serde) to
 * {@code LadderTopology.build}; the {@code ladder} processor takes the class named by its
 * {@code topics.envelope-serde} key (this one by default), configured with the {@code kafka:}
 * entries, and its dead-letter tools and console read the topics with the same. Ladder's state
 * stores always keep this encoding.
 */
public final class AvroEnvelopeSerde implements Serde<RetryEnvelope> {

    @Override
    public Serializer<RetryEnvelope> serializer() {
        return (topic, envelope) -> envelope == null ? null : AvroCodec.ENVELOPE.encode(envelope);
    }

    @Override
    public Deserializer<RetryEnvelope> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            try {
                return AvroCodec.ENVELOPE.decode(bytes);
            } catch (InvalidRecordException e) {
                throw new SerializationException(e.getMessage(), e);
            }
        };
    }
}
