package dev.ladder.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.avro.RetryEnvelope;
import dev.ladder.handler.Outcome;
import dev.ladder.kernel.LadderHeaders;
import dev.ladder.policy.LadderSettings;
import dev.ladder.policy.RetryPolicy;
import dev.ladder.policy.Tier;
import dev.ladder.policy.TopicNames;
import dev.ladder.serde.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every tier and dead-letter record stays within {@code topics.max-message-bytes}: the envelope
 * sheds its error history first, and an event whose original cannot fit is dead-lettered without
 * it, saying where it stays. (TopologyTestDriver enforces no size limit, so the sizes are asserted.)
 */
class OversizedEnvelopeTest {

    static final int LIMIT = 100_000;
    static final Duration TIER = Duration.ofMinutes(1);

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
                .policy(RetryPolicy.of(Tier.of(TIER, 12)))
                .outputTopicPattern(TopicNames.DEFAULT_OUTPUT_PATTERN)
                .maxMessageBytes(LIMIT)
                .build();
        ladder = new LadderDriver(settings, handler, guarantee, stateDir);
    }

    @ParameterizedTest
    @ValueSource(strings = {StreamsConfig.AT_LEAST_ONCE, StreamsConfig.EXACTLY_ONCE_V2})
    void shouldShedErrorHistoryToKeepTierRecordsWithinTheLimitAndDeliverOnce(String guarantee) {
        // given a 60,000-byte value whose first 9 attempts fail with long messages and stack traces
        // (13 kept errors of ~5,000 characters would make the envelope ~125,000 bytes)
        String value = "v".repeat(60_000);
        ScriptedHandler handler = new ScriptedHandler(e -> {
            if (e.attempt() <= 9) {
                throw new IllegalStateException("m".repeat(5_000), deep(40));
            }
            return Outcome.success();
        });
        start(guarantee, handler);

        // when it climbs the ladder
        ladder.send("K1", value);
        List<TestRecord<byte[], byte[]>> retries = new java.util.ArrayList<>(ladder.read("orders-retry-1m"));
        for (int i = 0; i < 9; i++) {
            ladder.advanceInSteps(TIER.plusSeconds(10));
            retries.addAll(ladder.read("orders-retry-1m"));
        }

        // then every tier record fitted, the history was cut to fit, and the event was delivered once
        assertThat(retries).hasSize(9);
        assertThat(retries).allSatisfy(r -> assertThat(size(r)).isLessThanOrEqualTo(LIMIT));
        RetryEnvelope last = AvroCodec.ENVELOPE.decode(retries.get(8).value());
        assertThat(ScriptedHandler.text(dev.ladder.serde.Envelopes.bytes(last.getValue())))
                .isEqualTo(value);
        assertThat(last.getErrors().size()).isLessThan(9);
        assertThat(last.getErrorsElided()).isPositive();
        assertThat(ladder.read("orders-out"))
                .singleElement()
                .satisfies(r -> assertThat(r.value()).hasSize(60_000));
        assertThat(ladder.deadLetters()).isEmpty();
        assertThat(handler.calls()).hasSize(10);
    }

    @ParameterizedTest
    @ValueSource(strings = {StreamsConfig.AT_LEAST_ONCE, StreamsConfig.EXACTLY_ONCE_V2})
    void shouldDeadLetterWithoutTheOriginalWhenItCannotFitAndKeepProcessing(String guarantee) {
        // given a value larger than the limit whose first attempt fails
        ScriptedHandler handler = new ScriptedHandler(
                e -> e.value().length > 1_000 ? Outcome.retry("503 from the partner") : Outcome.success());
        start(guarantee, handler);

        // when it fails, then another event of the same key arrives
        ladder.send("K1", "x".repeat(120_000));
        ladder.send("K1", "small");

        // then no tier record was written; the dead letter fits, says why and where the original stays
        assertThat(ladder.read("orders-retry-1m")).isEmpty();
        List<TestRecord<byte[], byte[]>> dead = ladder.read("orders-dlt");
        assertThat(dead).singleElement().satisfies(r -> {
            assertThat(size(r)).isLessThanOrEqualTo(LIMIT);
            assertThat(ScriptedHandler.text(r.key())).isEqualTo("K1");
            assertThat(header(r, LadderHeaders.REASON)).contains("too large").contains("orders-0@0");
            RetryEnvelope envelope = AvroCodec.ENVELOPE.decode(r.value());
            assertThat(envelope.getValue()).isNull();
            assertThat(envelope.getOriginalTopic()).isEqualTo("orders");
            assertThat(envelope.getOriginalOffset()).isZero();
            assertThat(envelope.getErrors()).extracting(e -> e.getKind()).contains("RECORD_TOO_LARGE");
        });
        assertThat(ladder.status("orders-0@0").getStatus()).isEqualTo("DEAD_LETTERED");
        // and the key's next event was not held behind it
        assertThat(ladder.read("orders-out"))
                .singleElement()
                .satisfies(r -> assertThat(ScriptedHandler.text(r.value())).isEqualTo("small"));
    }

    private static Throwable deep(int depth) {
        return depth == 0 ? new RuntimeException("root cause " + "c".repeat(500)) : wrap(depth);
    }

    private static Throwable wrap(int depth) {
        return new RuntimeException("level " + depth, deep(depth - 1));
    }

    private static long size(TestRecord<byte[], byte[]> r) {
        long size = (r.key() == null ? 0 : r.key().length) + r.value().length;
        for (Header h : r.headers()) {
            size += h.key().length() + (h.value() == null ? 0 : h.value().length);
        }
        return size;
    }

    private static String header(TestRecord<byte[], byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
