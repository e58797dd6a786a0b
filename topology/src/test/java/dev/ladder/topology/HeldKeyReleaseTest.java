package dev.ladder.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.handler.Outcome;
import dev.ladder.kernel.LadderHeaders;
import dev.ladder.kernel.LadderMetrics;
import dev.ladder.policy.LadderSettings;
import dev.ladder.policy.RetryPolicy;
import dev.ladder.policy.Tier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An operator releases a key held under the hold policy through a control record. */
class HeldKeyReleaseTest {

    @TempDir
    Path stateDir;

    private LadderDriver ladder;

    @AfterEach
    void close() {
        ladder.close();
    }

    @Test
    void shouldRunParkedFollowersInOrderWhenAHeldKeyIsReleased() {
        // given K's head died under the hold policy with two followers parked behind it
        ScriptedHandler handler = new ScriptedHandler(
                e -> "head".equals(ScriptedHandler.text(e.value())) ? Outcome.fail("bad head") : Outcome.success());
        LadderSettings settings = LadderSettings.builder("orders")
                .policy(RetryPolicy.of(Tier.of(Duration.ofMinutes(1), 1)))
                .onDeadLetter(LadderSettings.DeadKeyPolicy.HOLD)
                .build();
        ladder = new LadderDriver(settings, handler, StreamsConfig.EXACTLY_ONCE_V2, stateDir);
        ladder.send("K", "head");
        ladder.send("K", "f1");
        ladder.send("K", "f2");
        assertThat(ladder.keyState("K").getHeld()).isTrue();
        assertThat(handler.values()).containsExactly("head");

        // when an operator's release command arrives on the first tier topic
        ladder.sendRaw(
                "orders-retry-1m",
                bytes("K"),
                null,
                new RecordHeader(LadderHeaders.CONTROL, bytes(LadderHeaders.CONTROL_RELEASE_KEY)));

        // then the followers run in their original order and the key is free again
        assertThat(handler.values()).containsExactly("head", "f1", "f2");
        assertThat(ladder.keyState("K")).isNull();
        assertThat(ladder.metrics()
                        .registry()
                        .get(LadderMetrics.BLOCKED_KEYS)
                        .gauge()
                        .value())
                .isZero();
    }

    @Test
    void shouldDeadLetterAnUnknownControlCommandInsteadOfFailing() {
        // given
        ScriptedHandler handler = ScriptedHandler.alwaysSucceeds();
        LadderSettings settings = LadderSettings.builder("orders").build();
        ladder = new LadderDriver(settings, handler, StreamsConfig.EXACTLY_ONCE_V2, stateDir);

        // when
        ladder.sendRaw("orders-retry-1m", bytes("K"), null, new RecordHeader(LadderHeaders.CONTROL, bytes("explode")));
        ladder.send("K", "next");

        // then
        assertThat(ladder.deadLetters())
                .singleElement()
                .satisfies(d -> assertThat(d.getDeadLetterReason()).contains("unknown control command 'explode'"));
        assertThat(handler.values()).containsExactly("next");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
