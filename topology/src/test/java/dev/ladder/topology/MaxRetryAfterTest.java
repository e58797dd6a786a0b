package dev.ladder.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.avro.RetryEnvelope;
import dev.ladder.handler.Outcome;
import dev.ladder.policy.LadderSettings;
import dev.ladder.policy.RetryPolicy;
import dev.ladder.policy.Tier;
import dev.ladder.policy.TopicNames;
import dev.ladder.serde.AvroCodec;
import dev.ladder.serde.AvroEnvelopeSerde;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whatever instant a handler returns as its not-before hint, the event is retried at most
 * {@code retry.max-retry-after} later, the stream thread survives, and the next record is processed.
 */
class MaxRetryAfterTest {

    static final Duration ONE_MINUTE = Duration.ofMinutes(1);
    static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(10);
    static final long START = LadderDriver.START.toEpochMilli();
    // the processor's clock is the driver's plus the real time a punctuation or record has taken
    static final long SLACK = 5_000;

    @TempDir
    Path stateDir;

    private LadderDriver ladder;

    @AfterEach
    void close() {
        if (ladder != null) {
            ladder.close();
        }
    }

    private void start(String guarantee, ScriptedHandler handler) {
        LadderSettings settings = LadderSettings.builder("orders")
                .policy(RetryPolicy.of(Tier.of(ONE_MINUTE, 2)))
                .outputTopicPattern(TopicNames.DEFAULT_OUTPUT_PATTERN)
                .maxRetryAfter(MAX_RETRY_AFTER)
                .build();
        ladder = new LadderDriver(settings, handler, guarantee, stateDir);
    }

    static Stream<Arguments> hints() {
        Duration capped = MAX_RETRY_AFTER;
        Duration tierDelay = ONE_MINUTE;
        return Stream.of(StreamsConfig.AT_LEAST_ONCE, StreamsConfig.EXACTLY_ONCE_V2)
                .flatMap(guarantee -> Stream.of(
                        Arguments.of(guarantee, Instant.MAX, capped),
                        Arguments.of(guarantee, Instant.parse("9999-12-31T23:59:59Z"), capped),
                        Arguments.of(guarantee, Instant.ofEpochMilli(Long.MAX_VALUE), capped),
                        Arguments.of(guarantee, Instant.MIN, tierDelay),
                        Arguments.of(guarantee, Instant.EPOCH, tierDelay)));
    }

    @ParameterizedTest(name = "{0}, hint {1}")
    @MethodSource("hints")
    void shouldRetryAtMostMaxRetryAfterLaterForAnyHintAndKeepProcessing(
            String guarantee, Instant hint, Duration expectedDelay) {
        // given a handler that answers the first attempt of "a" with the hint
        ScriptedHandler handler =
                new ScriptedHandler(e -> "a".equals(ScriptedHandler.text(e.value())) && e.attempt() == 1
                        ? Outcome.retry("odd hint").withNotBefore(hint)
                        : Outcome.success());
        start(guarantee, handler);

        // when "a" fails with it, and an event of another key follows
        ladder.send("K1", "a");
        ladder.send("K2", "b");

        // then nothing threw, the next event went through, and "a" waits the expected delay
        assertThat(handler.values()).containsExactly("a", "b");
        assertThat(ladder.read("orders-out")).extracting(r -> text(r.value())).containsExactly("b");
        List<RetryEnvelope> retries = ladder.read("orders-retry-1m").stream()
                .map(r -> AvroCodec.ENVELOPE.decode(r.value()))
                .toList();
        assertThat(retries)
                .singleElement()
                .satisfies(r -> assertThat(r.getDueTime() - START)
                        .isBetween(expectedDelay.toMillis(), expectedDelay.toMillis() + SLACK));

        // and it runs once that delay is over, not before
        ladder.advanceInSteps(expectedDelay.minusSeconds(2));
        assertThat(handler.values()).containsExactly("a", "b");
        ladder.advanceInSteps(Duration.ofSeconds(2 + SLACK / 1_000));
        assertThat(handler.values()).containsExactly("a", "b", "a");
        assertThat(ladder.read("orders-out")).extracting(r -> text(r.value())).containsExactly("a");
    }

    @ParameterizedTest
    @ValueSource(strings = {StreamsConfig.AT_LEAST_ONCE, StreamsConfig.EXACTLY_ONCE_V2})
    void shouldPauseTheInstanceAtMostMaxRetryAfterOnA429ThatAsksForever(String guarantee) {
        // given a downstream that answers "a" with 429 and a not-before of Instant.MAX (the adaptive
        // rate limit pauses every call of the instance until the hint)
        ScriptedHandler handler =
                new ScriptedHandler(e -> "a".equals(ScriptedHandler.text(e.value())) && e.attempt() == 1
                        ? Outcome.retry("429").withHttpStatus(429).withNotBefore(Instant.MAX)
                        : Outcome.success());
        start(guarantee, handler);

        // when
        ladder.send("K1", "a");
        ladder.send("K2", "b");

        // then nothing threw, and the pause holds "b" back for max-retry-after, not forever
        assertThat(handler.values()).containsExactly("a");
        ladder.advanceInSteps(MAX_RETRY_AFTER.minusSeconds(2));
        assertThat(handler.values()).containsExactly("a");
        ladder.advanceInSteps(Duration.ofSeconds(2 + SLACK / 1_000));
        assertThat(handler.values()).containsExactlyInAnyOrder("a", "b", "a");
        assertThat(ladder.read("orders-out")).extracting(r -> text(r.value())).containsExactlyInAnyOrder("a", "b");
    }

    @ParameterizedTest
    @ValueSource(longs = {Long.MIN_VALUE, -1L})
    void shouldDeadLetterATierRecordDueBeforeTheEpochInsteadOfRunningIt(long dueTime) {
        // given a crafted tier record whose due time is negative (no Ladder writes one: it used to
        // run at once, as overdue; issue #12 sends such records to the DLT with the reason)
        ScriptedHandler handler = ScriptedHandler.alwaysSucceeds();
        start(StreamsConfig.EXACTLY_ONCE_V2, handler);
        RetryEnvelope envelope = RetryEnvelope.newBuilder()
                .setEventId("crafted-1")
                .setOriginalTopic("orders")
                .setOriginalPartition(0)
                .setOriginalOffset(0L)
                .setOriginalTimestamp(START)
                .setKey(ByteBuffer.wrap(bytes("K")))
                .setValue(ByteBuffer.wrap(bytes("v")))
                .setHeaders(List.of())
                .setAttempts(1)
                .setTier(1)
                .setTierAttempt(1)
                .setFirstAttemptTime(START)
                .setDueTime(dueTime)
                .setErrors(List.of())
                .build();
        byte[] value;
        try (AvroEnvelopeSerde serde = new AvroEnvelopeSerde()) {
            value = serde.serializer().serialize("orders-retry-1m", envelope);
        }

        // when it arrives and the next punctuation runs
        ladder.sendRaw("orders-retry-1m", bytes("K"), value);
        ladder.advanceInSteps(Duration.ofSeconds(1));

        // then it is a dead letter with the reason, and it never ran
        assertThat(ladder.deadLetters())
                .singleElement()
                .satisfies(d -> assertThat(d.getDeadLetterReason()).contains("due time " + dueTime));
        assertThat(handler.calls()).isEmpty();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
