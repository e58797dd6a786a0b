package dev.ladder.testing;

import dev.ladder.avro.RetryEnvelope;
import dev.ladder.serde.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * An envelope serde for tests of {@code topics.envelope-serde}: a prefix, then Ladder's Avro
 * encoding. Its records do not start with the Avro single-object marker, so Ladder's default serde
 * cannot read them, and it reads nothing else: a tool that does not use the configured serde shows
 * them raw. It works only once {@link #configure configured} as a value serde, with its prefix from
 * {@value #PREFIX_CONFIG} (default {@value #DEFAULT_PREFIX}) when the configs name one.
 */
public final class FramedEnvelopeSerde implements Serde<RetryEnvelope> {

    /** The property that sets the prefix; blank is refused by {@link #configure}. */
    public static final String PREFIX_CONFIG = "framed.envelope.prefix";

    /** The prefix when the configs name none. */
    public static final String DEFAULT_PREFIX = "FRAMED1:";

    private volatile byte[] prefix;

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (isKey) {
            throw new IllegalArgumentException("an envelope serde is a value serde");
        }
        Object configured = configs.get(PREFIX_CONFIG);
        String text = configured == null ? DEFAULT_PREFIX : configured.toString();
        if (text.isBlank()) {
            throw new IllegalArgumentException(PREFIX_CONFIG + " must not be blank");
        }
        prefix = text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Serializer<RetryEnvelope> serializer() {
        return (topic, envelope) -> {
            if (envelope == null) {
                return null;
            }
            byte[] p = configured();
            byte[] body = AvroCodec.ENVELOPE.encode(envelope);
            byte[] framed = Arrays.copyOf(p, p.length + body.length);
            System.arraycopy(body, 0, framed, p.length, body.length);
            return framed;
        };
    }

    @Override
    public Deserializer<RetryEnvelope> deserializer() {
        return (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            byte[] p = configured();
            if (bytes.length < p.length || !Arrays.equals(bytes, 0, p.length, p, 0, p.length)) {
                throw new SerializationException(
                        "not a framed envelope: no " + new String(p, StandardCharsets.UTF_8) + " prefix");
            }
            try {
                return AvroCodec.ENVELOPE.decode(Arrays.copyOfRange(bytes, p.length, bytes.length));
            } catch (RuntimeException e) {
                throw new SerializationException(e.getMessage(), e);
            }
        };
    }

    private byte[] configured() {
        byte[] p = prefix;
        if (p == null) {
            throw new IllegalStateException("FramedEnvelopeSerde used before configure(configs, false)");
        }
        return p;
    }

    /** Not a serde of envelopes: refused by the configuration, whatever its constructor. */
    public static final class OfStrings implements Serde<String> {
        @Override
        public Serializer<String> serializer() {
            return (topic, s) -> s == null ? null : s.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public Deserializer<String> deserializer() {
            return (topic, b) -> b == null ? null : new String(b, StandardCharsets.UTF_8);
        }
    }

    /** An envelope serde without a no-argument constructor. */
    public static final class NeedsArgument implements Serde<RetryEnvelope> {
        private final Serde<RetryEnvelope> delegate = new FramedEnvelopeSerde();

        public NeedsArgument(String prefix) {}

        @Override
        public Serializer<RetryEnvelope> serializer() {
            return delegate.serializer();
        }

        @Override
        public Deserializer<RetryEnvelope> deserializer() {
            return delegate.deserializer();
        }
    }

    /**
     * A generic serde of any specific Avro record, declared the way Confluent's
     * {@code SpecificAvroSerde<T extends SpecificRecord>} is: it can be a serde of envelopes, so
     * the configuration accepts it.
     */
    public static final class OfSpecificRecords<T extends org.apache.avro.specific.SpecificRecord> implements Serde<T> {
        @Override
        public Serializer<T> serializer() {
            return (topic, record) -> {
                throw new UnsupportedOperationException("not used by the test");
            };
        }

        @Override
        public Deserializer<T> deserializer() {
            return (topic, bytes) -> {
                throw new UnsupportedOperationException("not used by the test");
            };
        }
    }
}
