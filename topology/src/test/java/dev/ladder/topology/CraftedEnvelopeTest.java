package dev.ladder.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.avro.ErrorRecord;
import dev.ladder.avro.HeaderEntry;
import dev.ladder.avro.RetryEnvelope;
import dev.ladder.kernel.LadderHeaders;
import dev.ladder.policy.LadderSettings;
import dev.ladder.policy.RetryPolicy;
import dev.ladder.policy.Tier;
import dev.ladder.policy.TopicNames;
import dev.ladder.serde.AvroCodec;
import dev.ladder.serde.EnvelopeBytes;
import dev.ladder.serde.Envelopes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tier records crafted to hurt: each goes to the dead-letter topic with its reason and its bytes
 * untouched, and the next record is processed as usual.
 */
class CraftedEnvelopeTest {

    static final String TIER_1 = "orders-retry-1m";
    static final long NOW = LadderDriver.START.toEpochMilli();

    @TempDir
    Path stateDir;

    private LadderDriver ladder;

    @AfterEach
    void close() {
        if (ladder != null) {
            ladder.close();
        }
    }

    static LadderSettings settings() {
        return LadderSettings.builder("orders")
                .policy(RetryPolicy.of(Tier.of(Duration.ofMinutes(1), 1), Tier.of(Duration.ofMinutes(5), 2)))
                .outputTopicPattern(TopicNames.DEFAULT_OUTPUT_PATTERN)
                .build();
    }

    /** A tier-1 envelope as Ladder writes it after a first attempt failed at {@code now}. */
    static RetryEnvelope envelope(String eventId, String key, long now) {
        List<HeaderEntry> headers = new ArrayList<>();
        headers.add(new HeaderEntry("trace", ByteBuffer.wrap(utf8("HEADER-MARK"))));
        List<ErrorRecord> errors = new ArrayList<>();
        errors.add(ErrorRecord.newBuilder()
                .setTimestamp(now)
                .setTopic("orders")
                .setTier(0)
                .setAttempt(1)
                .setKind("TRANSIENT")
                .setMessage("ERROR-MARK")
                .build());
        return RetryEnvelope.newBuilder()
                .setEventId(eventId)
                .setOriginalTopic("orders")
                .setOriginalPartition(0)
                .setOriginalOffset(3)
                .setOriginalTimestamp(now)
                .setKey(ByteBuffer.wrap(utf8(key)))
                .setValue(ByteBuffer.wrap(utf8("VALUE-MARK")))
                .setHeaders(headers)
                .setAttempts(1)
                .setTier(1)
                .setTierAttempt(1)
                .setFirstAttemptTime(now)
                .setDueTime(now + 60_000)
                .setErrors(errors)
                .build();
    }

    static Function<RetryEnvelope, byte[]> field(Consumer<RetryEnvelope> change) {
        return e -> {
            change.accept(e);
            return AvroCodec.ENVELOPE.encode(e);
        };
    }

    static Stream<Arguments> craftedRecords() {
        long year30000 = Instant.parse("+30000-01-01T00:00:00Z").toEpochMilli();
        return Stream.of(
                Arguments.of(
                        "value length 2^31",
                        (Function<RetryEnvelope, byte[]>) e -> EnvelopeBytes.withLength(e, "VALUE-MARK", 1L << 31),
                        "length 2147483648"),
                Arguments.of(
                        "value length 2^31 - 16 (a 2 GiB allocation)",
                        (Function<RetryEnvelope, byte[]>)
                                e -> EnvelopeBytes.withLength(e, "VALUE-MARK", Integer.MAX_VALUE - 16),
                        "length 2147483631"),
                Arguments.of(
                        "error message length -3",
                        (Function<RetryEnvelope, byte[]>) e -> EnvelopeBytes.withLength(e, "ERROR-MARK", -3),
                        "length -3"),
                Arguments.of(
                        "negative partition", field(e -> e.setOriginalPartition(-1)), "negative original partition"),
                Arguments.of(
                        "negative offset",
                        field(e -> e.setOriginalOffset(-9)),
                        "negative original partition or offset"),
                Arguments.of(
                        "negative timestamp", field(e -> e.setOriginalTimestamp(-1)), "negative original timestamp"),
                Arguments.of("negative due time", field(e -> e.setDueTime(-5L)), "due time -5"),
                Arguments.of("no due time", field(e -> e.setDueTime(null)), "due time null"),
                Arguments.of("due in the year 30000", field(e -> e.setDueTime(year30000)), "beyond the longest delay"),
                Arguments.of("negative attempts", field(e -> e.setAttempts(-1)), "impossible attempt count -1"),
                Arguments.of(
                        "attempts at Integer.MAX_VALUE",
                        field(e -> e.setAttempts(Integer.MAX_VALUE)),
                        "impossible attempt count"),
                Arguments.of("tier attempt 0", field(e -> e.setTierAttempt(0)), "impossible tier attempt 0"),
                Arguments.of("tier attempt 99 after 1", field(e -> e.setTierAttempt(99)), "impossible tier attempt 99"),
                Arguments.of("tier 0 on a tier topic", field(e -> e.setTier(0)), "tier 0 on a tier topic"),
                Arguments.of(
                        "negative deferrals", field(e -> e.setDeferrals(-4)), "negative errorsElided or deferrals"),
                Arguments.of(
                        "error record of tier -7",
                        field(e -> e.getErrors().get(0).setTier(-7)),
                        "error record with tier -7"),
                Arguments.of(
                        "key other than the record's",
                        field(e -> e.setKey(ByteBuffer.wrap(utf8("other")))),
                        "key differs"),
                Arguments.of("empty event id", field(e -> e.setEventId("")), "empty event id"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("craftedRecords")
    void shouldDeadLetterACraftedTierRecordWithItsReasonAndProcessTheNext(
            String name, Function<RetryEnvelope, byte[]> craft, String reason) {
        // given
        ScriptedHandler handler = ScriptedHandler.alwaysSucceeds();
        ladder = new LadderDriver(settings(), handler, StreamsConfig.EXACTLY_ONCE_V2, stateDir);
        byte[] crafted = craft.apply(envelope("crafted-1", "k", NOW));

        // when the crafted record lands on a tier topic, an ordinary event follows, and a month passes
        ladder.sendRaw(TIER_1, utf8("k"), crafted, new RecordHeader(LadderHeaders.EVENT_ID, utf8("crafted-1")));
        ladder.send("k2", "next");
        ladder.advance(Duration.ofDays(30));

        // then the crafted record is a dead letter, bytes untouched, with the reason; nothing else ran
        assertThat(ladder.deadLetters()).singleElement().satisfies(dead -> {
            assertThat(dead.getDeadLetterReason()).contains("invalid record on " + TIER_1, reason);
            assertThat(Envelopes.bytes(dead.getValue())).isEqualTo(crafted);
            assertThat(dead.getErrors().get(0).getKind()).isEqualTo("INVALID_RECORD");
        });
        assertThat(handler.values()).containsExactly("next");
        assertThat(ladder.read("orders-out")).hasSize(1);
    }

    @Test
    void shouldRunAWellFormedTierRecordAtItsDueTime() {
        // given (the harness of the test above, with an untouched envelope)
        ScriptedHandler handler = ScriptedHandler.alwaysSucceeds();
        ladder = new LadderDriver(settings(), handler, StreamsConfig.EXACTLY_ONCE_V2, stateDir);

        // when
        ladder.sendRaw(TIER_1, utf8("k"), AvroCodec.ENVELOPE.encode(envelope("fine-1", "k", NOW)));
        ladder.advance(Duration.ofSeconds(59));
        List<String> early = List.copyOf(handler.values());
        ladder.advance(Duration.ofSeconds(2));

        // then
        assertThat(early).isEmpty();
        assertThat(handler.values()).containsExactly("VALUE-MARK");
        assertThat(ladder.deadLetters()).isEmpty();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
