package dev.ladder.it;

import static dev.ladder.it.OpsFixture.text;
import static dev.ladder.it.OpsFixture.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladder.app.LadderApp;
import dev.ladder.avro.RetryEnvelope;
import dev.ladder.handler.Outcome;
import dev.ladder.serde.AvroEnvelopeSerde;
import dev.ladder.testing.FramedEnvelopeSerde;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code topics.envelope-serde} end to end: the processor writes its tier and dead-letter topics
 * with the configured serde (configured with the {@code kafka:} entries), and {@code ladder dlt}
 * and the console read and replay them with the same configuration.
 */
class EnvelopeSerdeIT {

    @RegisterExtension
    static final KafkaBroker broker = KafkaBroker.shared();

    private static final String PREFIX = "IT-FRAMED:";

    @TempDir
    Path dir;

    @Test
    void shouldWriteTierAndDeadLetterRecordsWithTheConfiguredSerdeAndReadThemBackWithIt() {
        // given a Ladder whose envelope serde is the framing one, its prefix set under kafka:
        String main = broker.uniqueTopic("serde");
        broker.createTopic(main, 2);
        Path config = framedConfig(main);
        OpsFixture.Recording handler = new OpsFixture.Recording(e ->
                e.headers().lastHeader("ladder-replay") == null ? Outcome.retry("downstream down") : Outcome.success());

        List<ConsumerRecord<byte[], byte[]>> tier;
        List<ConsumerRecord<byte[], byte[]>> dlt;
        HttpResponse<String> console;
        try (LadderApp app = OpsFixture.start(config, handler)) {
            // when three events fail on the main topic and on the tier
            for (int i = 0; i < 3; i++) {
                broker.produce(main, "k" + i, "v" + i, Map.of("event-id", "e-" + i));
            }
            tier = consume(main + "-retry-1s", 3);
            dlt = consume(main + "-dlt", 3);
            console = LadderFixture.fetch(app.port(), "/api/dead-letters");
        }

        // then the tier and dead-letter values are in the configured format, which the default cannot read
        try (FramedEnvelopeSerde framed = framed()) {
            for (List<ConsumerRecord<byte[], byte[]>> records : List.of(tier, dlt)) {
                assertThat(records).hasSize(3).allSatisfy(r -> {
                    assertThat(Arrays.copyOf(r.value(), PREFIX.length())).isEqualTo(utf8(PREFIX));
                    RetryEnvelope envelope = framed.deserializer().deserialize(r.topic(), r.value());
                    assertThat(envelope.getEventId())
                            .isEqualTo("e-" + text(r.key()).substring(1));
                    assertThatThrownBy(
                                    () -> new AvroEnvelopeSerde().deserializer().deserialize(r.topic(), r.value()))
                            .as("not Ladder's default format")
                            .isNotNull();
                });
            }
        }
        // and the console's dead-letter view reads them as Ladder's envelopes
        assertThat(console.statusCode()).isEqualTo(200);
        assertThat(console.body()).contains("\"format\":\"ladder\"").doesNotContain("\"format\":\"spring\"");

        // when the dead-letter tools run with the same configuration
        OpsFixture.Run list = OpsFixture.cli("dlt", "list", "--config", config.toString());
        OpsFixture.Run show = OpsFixture.cli("dlt", "show", "--config", config.toString(), "e-1");
        OpsFixture.Run replay = OpsFixture.cli("dlt", "replay", "--config", config.toString(), "--all");

        // then they read the envelopes, and the replay sends the original events, not envelope bytes
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.lines())
                .hasSize(3)
                .allSatisfy(l -> assertThat(l).contains("\"format\":\"ladder\"", "\"originalTopic\":\"" + main + "\""));
        assertThat(show.exitCode()).as(show.err()).isZero();
        assertThat(show.out()).contains("\"format\":\"ladder\"", "\"eventId\":\"e-1\"", "\"value\":\"v1\"");
        assertThat(replay.exitCode()).as(replay.err()).isZero();
        assertThat(replay.err()).contains("replayed 3, skipped 0 (filtered), failed 0");
        List<String> replayed = consume(main, 6).stream()
                .filter(r -> r.headers().lastHeader("ladder-replay") != null)
                .map(r -> text(r.value()))
                .toList();
        assertThat(replayed).containsExactlyInAnyOrder("v0", "v1", "v2");

        // and without the key, Ladder's default serde does not take them for its envelopes
        OpsFixture.Run asDefault =
                OpsFixture.cli("dlt", "list", "--config", withoutSerde(config).toString());
        assertThat(asDefault.lines()).hasSize(3).noneSatisfy(l -> assertThat(l).contains("\"format\":\"ladder\""));
    }

    /** A configuration naming the framing serde, with its prefix under {@code kafka:}. */
    private Path framedConfig(String main) {
        Path file = OpsFixture.config(
                dir,
                broker,
                main,
                broker.uniqueId("app"),
                "kafka:\n  " + FramedEnvelopeSerde.PREFIX_CONFIG + ": \"" + PREFIX + "\"\n");
        return rewrite(
                file,
                file,
                "topics:\n  main: " + main + "\n",
                "topics:\n  main: " + main + "\n  envelope-serde: " + FramedEnvelopeSerde.class.getName() + "\n");
    }

    private static Path withoutSerde(Path config) {
        return rewrite(
                config,
                config.resolveSibling("default-" + config.getFileName()),
                "  envelope-serde: " + FramedEnvelopeSerde.class.getName() + "\n",
                "");
    }

    private static Path rewrite(Path from, Path to, String text, String replacement) {
        try {
            String yaml = Files.readString(from);
            assertThat(yaml).contains(text);
            return Files.writeString(to, yaml.replace(text, replacement));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FramedEnvelopeSerde framed() {
        FramedEnvelopeSerde serde = new FramedEnvelopeSerde();
        serde.configure(Map.of(FramedEnvelopeSerde.PREFIX_CONFIG, PREFIX), false);
        return serde;
    }

    private static List<ConsumerRecord<byte[], byte[]>> consume(String topic, int n) {
        return broker.consumeAll(
                topic, n, Duration.ofSeconds(60), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
