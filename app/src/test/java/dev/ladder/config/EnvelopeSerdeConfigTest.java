package dev.ladder.config;

import static dev.ladder.config.ConfigFixture.MINIMAL;
import static dev.ladder.config.ConfigFixture.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladder.avro.RetryEnvelope;
import dev.ladder.serde.AvroCodec;
import dev.ladder.serde.AvroEnvelopeSerde;
import dev.ladder.testing.FramedEnvelopeSerde;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code topics.envelope-serde}: which serde the tier and dead-letter values are written and read with. */
class EnvelopeSerdeConfigTest {

    private static final String FRAMED = FramedEnvelopeSerde.class.getName();

    @TempDir
    Path dir;

    @Test
    void shouldDefaultToLaddersAvroSerdeThatReadsTheExistingFormat() {
        // given a file that names no serde
        LadderConfig config = load(dir, MINIMAL);

        // when
        try (Serde<RetryEnvelope> serde = config.envelopeSerde()) {
            // then it is Ladder's own, and it reads what AvroCodec writes (and writes the same)
            assertThat(config.topics().envelopeSerde()).isEqualTo("dev.ladder.serde.AvroEnvelopeSerde");
            assertThat(serde).isInstanceOf(AvroEnvelopeSerde.class);
            RetryEnvelope envelope = envelope();
            assertThat(serde.deserializer().deserialize("orders-dlt", AvroCodec.ENVELOPE.encode(envelope)))
                    .isEqualTo(envelope);
            assertThat(serde.serializer().serialize("orders-dlt", envelope))
                    .isEqualTo(AvroCodec.ENVELOPE.encode(envelope));
        }
    }

    @Test
    void shouldLoadTheNamedSerdeAndConfigureItWithTheKafkaEntries() {
        // given
        LadderConfig config = load(
                dir,
                MINIMAL.replace("  main: orders\n", "  main: orders\n  envelope-serde: " + FRAMED + "\n")
                        + "kafka:\n  framed.envelope.prefix: 'ACME:'\n");

        // when
        try (Serde<RetryEnvelope> serde = config.envelopeSerde()) {
            // then it writes with the prefix the kafka: map gave its configure
            assertThat(serde).isInstanceOf(FramedEnvelopeSerde.class);
            byte[] bytes = serde.serializer().serialize("orders-dlt", envelope());
            assertThat(new String(bytes, 0, 5, StandardCharsets.UTF_8)).isEqualTo("ACME:");
            assertThat(serde.deserializer().deserialize("orders-dlt", bytes)).isEqualTo(envelope());
        }
        assertThat(config.describe()).contains("topics.envelope-serde = " + FRAMED);
    }

    @Test
    void shouldTakeTheSerdeFromTheEnvironment() {
        LadderConfig config = load(dir, MINIMAL, Map.of("LADDER_TOPICS_ENVELOPE_SERDE", FRAMED));

        assertThat(config.topics().envelopeSerde()).isEqualTo(FRAMED);
        try (Serde<RetryEnvelope> serde = config.envelopeSerde()) {
            assertThat(serde).isInstanceOf(FramedEnvelopeSerde.class);
        }
    }

    @Test
    void shouldNameAClassThatIsNotOnTheClassPathAsWritten() {
        assertThatThrownBy(() -> load(dir, withSerde("com.example.NoSuchSerde")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ladder.yaml:3: topics.envelope-serde is 'com.example.NoSuchSerde'")
                .hasMessageContaining("not found on the class path")
                .hasMessageContaining("allowed: the fully qualified name of a public class implementing"
                        + " org.apache.kafka.common.serialization.Serde<dev.ladder.avro.RetryEnvelope>");
    }

    @Test
    void shouldRefuseAClassThatIsNotASerde() {
        assertThatThrownBy(() -> load(dir, withSerde("java.lang.StringBuilder")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("topics.envelope-serde is 'java.lang.StringBuilder', which does not implement"
                        + " org.apache.kafka.common.serialization.Serde");
    }

    @Test
    void shouldRefuseASerdeOfAnotherType() {
        assertThatThrownBy(() -> load(dir, withSerde(FRAMED + "$OfStrings")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("a Serde<java.lang.String>, not a Serde<dev.ladder.avro.RetryEnvelope>");
        assertThatThrownBy(() -> load(dir, withSerde("org.apache.kafka.common.serialization.Serdes$StringSerde")))
                .hasMessageContaining("a Serde<java.lang.String>");
    }

    @Test
    void shouldAcceptAGenericSerdeWhoseBoundAllowsAnEnvelope() {
        // given a serde declared as Serde<T extends SpecificRecord>, like Confluent's SpecificAvroSerde
        LadderConfig config = load(dir, withSerde(FRAMED + "$OfSpecificRecords"));

        // when / then it is made (what it is a serde of is only known at runtime)
        try (Serde<RetryEnvelope> serde = config.envelopeSerde()) {
            assertThat(serde).isInstanceOf(FramedEnvelopeSerde.OfSpecificRecords.class);
        }
    }

    @Test
    void shouldRefuseASerdeWithoutANoArgumentConstructor() {
        assertThatThrownBy(() -> load(dir, withSerde(FRAMED + "$NeedsArgument")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("without a public no-argument constructor");
    }

    @Test
    void shouldReportASerdeWhoseConfigureThrows() {
        assertThatThrownBy(() -> load(dir, withSerde(FRAMED) + "kafka:\n  framed.envelope.prefix: ' '\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("topics.envelope-serde is '" + FRAMED + "', which refused its configuration")
                .hasMessageContaining("framed.envelope.prefix must not be blank");
    }

    @Test
    void shouldReportABadSerdeWithTheFilesOtherMistakesAtOnce() {
        ConfigException e = (ConfigException) org.assertj.core.api.Assertions.catchThrowable(
                () -> load(dir, withSerde("com.example.NoSuchSerde") + "server: {port: 99999}\n")); // second mistake
        assertThat(e.errors()).extracting(ConfigException::key).containsExactly("topics.envelope-serde", "server.port");
    }

    private static String withSerde(String className) {
        return MINIMAL.replace("  main: orders\n", "  main: orders\n  envelope-serde: " + className + "\n");
    }

    private static RetryEnvelope envelope() {
        return RetryEnvelope.newBuilder()
                .setEventId("e-1")
                .setOriginalTopic("orders")
                .setOriginalPartition(0)
                .setOriginalOffset(1)
                .setOriginalTimestamp(0)
                .setKey(ByteBuffer.wrap("K".getBytes(StandardCharsets.UTF_8)))
                .setValue(ByteBuffer.wrap("v".getBytes(StandardCharsets.UTF_8)))
                .setHeaders(List.of())
                .setAttempts(1)
                .setTier(1)
                .setTierAttempt(1)
                .setFirstAttemptTime(0)
                .build();
    }
}
