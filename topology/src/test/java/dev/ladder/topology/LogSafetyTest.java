package dev.ladder.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.handler.Outcome;
import dev.ladder.kernel.LadderHeaders;
import dev.ladder.kernel.LogSafe;
import dev.ladder.policy.LadderSettings;
import dev.ladder.policy.RetryPolicy;
import dev.ladder.policy.Tier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What Ladder logs about events can neither forge log lines nor leak payloads above DEBUG. */
class LogSafetyTest {

    private static final String FORGED = "K\r\n12:00:00.000 ERROR [main] d.l.Forged - all data deleted";
    private static final String PAYLOAD = "card=4111-1111-1111-1111";

    @TempDir
    Path stateDir;

    @Test
    void shouldEscapeKeysAndMessagesAndKeepPayloadsOutOfTheLog() {
        // given a held key with CR/LF in it, whose head fails with a message that echoes its payload
        ScriptedHandler handler = new ScriptedHandler(e -> Outcome.fail(
                "HTTP 400 from POST https://partner/hook: invalid {\"" + ScriptedHandler.text(e.value()) + "\"}\r\nX"));
        LadderSettings settings = LadderSettings.builder("orders")
                .policy(RetryPolicy.of(Tier.of(Duration.ofMinutes(1), 1)))
                .onDeadLetter(LadderSettings.DeadKeyPolicy.HOLD)
                .build();
        try (LogCapture log = new LogCapture();
                LadderDriver ladder = new LadderDriver(settings, handler, StreamsConfig.EXACTLY_ONCE_V2, stateDir)) {
            // when it is dead-lettered, released twice, and a forged control command arrives
            ladder.send(FORGED, PAYLOAD);
            ladder.sendRaw("orders-retry-1m", utf8(FORGED), null, release());
            ladder.sendRaw("orders-retry-1m", utf8(FORGED), null, release());
            ladder.sendRaw(
                    "orders-retry-1m",
                    utf8("K2"),
                    null,
                    new RecordHeader(LadderHeaders.CONTROL, utf8("x\n12:00:00.000 ERROR forged")));

            // then every line Ladder logged is one line, and none above DEBUG holds the payload
            List<String> info = log.messages(Level.INFO);
            assertThat(info)
                    .as("Ladder logged the dead letter, the releases and the bad command")
                    .anySatisfy(m -> assertThat(m).contains("dead-lettered"))
                    .anySatisfy(m -> assertThat(m).contains("released by an operator"))
                    .anySatisfy(m -> assertThat(m).contains("ignored: it is not held"))
                    .anySatisfy(m -> assertThat(m).contains("unknown control command"));
            assertThat(info).allSatisfy(m -> assertThat(m).doesNotContain("\r", "\n", "\u2028", PAYLOAD));
            assertThat(info).anySatisfy(m -> assertThat(m).contains("K\\r\\n12:00:00.000"));
        }
    }

    @Test
    void shouldEscapeLineBreaksInEveryMessageTheAppLogs() {
        // given the app's console layout (log4j2.xml), and a message from a library Ladder does not control
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        var layout = context.getConfiguration().getAppender("console").getLayout();
        var event = Log4jLogEvent.newBuilder()
                .setLoggerName("org.apache.kafka.Some")
                .setLevel(org.apache.logging.log4j.Level.WARN)
                .setMessage(new SimpleMessage("bad key K\r\n12:00:00.000 ERROR forged"))
                .build();

        // when
        String line = String.valueOf(layout.toSerializable(event));

        // then it stays one line
        assertThat(line.stripTrailing()).doesNotContain("\r", "\n").contains("K\\r\\n12:00:00.000");
    }

    @Test
    void shouldCutLongValuesAndShowBinaryKeysAsBase64() {
        assertThat(LogSafe.text("k".repeat(1_000))).isEqualTo("k".repeat(200) + "…(1000 chars)");
        assertThat(LogSafe.key(new byte[] {(byte) 0xff, 0})).isEqualTo("base64:/wA=");
        assertThat(LogSafe.text("a\u2028b\u0085c\\n")).isEqualTo("a\\u2028b\\u0085c\\\\n");
    }

    private static RecordHeader release() {
        return new RecordHeader(LadderHeaders.CONTROL, utf8(LadderHeaders.CONTROL_RELEASE_KEY));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
