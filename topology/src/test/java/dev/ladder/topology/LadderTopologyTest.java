package dev.ladder.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.avro.ErrorRecord;
import dev.ladder.avro.EventStatus;
import dev.ladder.avro.RetryEnvelope;
import dev.ladder.handler.NonRetryableException;
import dev.ladder.handler.Outcome;
import dev.ladder.kernel.LadderHeaders;
import dev.ladder.kernel.LadderMetrics;
import dev.ladder.policy.BreakerSettings;
import dev.ladder.policy.LadderSettings;
import dev.ladder.policy.RetryPolicy;
import dev.ladder.policy.Tier;
import dev.ladder.policy.TopicNames;
import dev.ladder.serde.AvroCodec;
import dev.ladder.serde.Envelopes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ladder's behaviour through a TopologyTestDriver. Runs once at-least-once and once
 * exactly-once (see the two subclasses).
 */
abstract class LadderTopologyTest {

    static final String MAIN = "orders";
    static final Duration ONE_MINUTE = Duration.ofMinutes(1);
    static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

    @TempDir
    Path stateDir;

    LadderDriver ladder;

    abstract String guarantee();

    /** Tiers 1m × 1 and 5m × 2: four attempts in all. */
    static LadderSettings.Builder settings() {
        return LadderSettings.builder(MAIN)
                .policy(RetryPolicy.of(Tier.of(ONE_MINUTE, 1), Tier.of(FIVE_MINUTES, 2)))
                // these tests fail many first attempts on purpose; the breaker (DownstreamOutageTest's
                // subject) would defer them
                .breaker(BreakerSettings.disabled())
                .outputTopicPattern(TopicNames.DEFAULT_OUTPUT_PATTERN);
    }

    LadderDriver start(LadderSettings settings, ScriptedHandler handler) {
        ladder = new LadderDriver(settings, handler, guarantee(), stateDir);
        return ladder;
    }

    @AfterEach
    void close() {
        if (ladder != null) {
            ladder.close();
        }
    }

    static ScriptedHandler failingFirst(int failures) {
        Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
        return new ScriptedHandler(e ->
                seen.computeIfAbsent(e.eventId(), id -> new AtomicInteger()).incrementAndGet() <= failures
                        ? Outcome.retry("downstream busy")
                        : Outcome.success());
    }

    @Test
    void shouldSucceedFirstTimeWithoutTouchingRetryTopics() {
        // given
        LadderSettings settings = settings().build();
        start(settings, ScriptedHandler.alwaysSucceeds());

        // when
        ladder.send("k1", "v1", new RecordHeader("event-id", "e1".getBytes(StandardCharsets.UTF_8)));

        // then
        assertThat(ladder.status("e1").getStatus()).isEqualTo("SUCCEEDED");
        assertThat(ladder.read("orders-retry-1m")).isEmpty();
        assertThat(ladder.read("orders-retry-5m")).isEmpty();
        assertThat(ladder.read("orders-dlt")).isEmpty();
        List<TestRecord<byte[], byte[]>> out = ladder.read("orders-out");
        assertThat(out).hasSize(1);
        assertThat(new String(out.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("v1");
    }

    @Test
    void shouldRetryOnFirstTierNeverBeforeItsDelayAndWithinOnePunctuationAfter() {
        // given an event that fails once
        ScriptedHandler handler = failingFirst(1);
        start(settings().build(), handler);
        ladder.send("k1", "v1");
        assertThat(ladder.read("orders-retry-1m")).hasSize(1);
        EventStatus retrying = ladder.status("orders-0@0");
        long failedAt = retrying.getUpdatedTime();
        long due = retrying.getDueTime();

        // when the wall clock moves in punctuation steps
        long firedAt = 0;
        for (long t = 1_000; handler.calls().size() < 2 && t <= 180_000; t += 1_000) {
            ladder.advance(Duration.ofSeconds(1));
            firedAt = LadderDriver.START.toEpochMilli() + t;
        }

        // then it was due a minute after the failure, did not run before, and ran within one
        // punctuation interval (1 s) after
        assertThat(due - failedAt).isGreaterThanOrEqualTo(ONE_MINUTE.toMillis());
        assertThat(handler.calls()).hasSize(2);
        // (the processor's clock is the driver's mock time plus the real time elapsed since that
        // time last moved, a few milliseconds: that is the only slack allowed here)
        assertThat(firedAt).isGreaterThanOrEqualTo(due - 50).isLessThan(due + 1_000);
        assertThat(handler.calls().get(1).attempt()).isEqualTo(2);
        assertThat(handler.calls().get(1).tier()).isEqualTo(1);
        assertThat(ladder.read("orders-out")).hasSize(1);
        assertThat(ladder.read("orders-retry-5m")).isEmpty();
    }

    @Test
    void shouldClimbEveryTierThenDeadLetterWithTheOriginalUntouchedAndOneErrorPerAttempt() {
        // given an event that always fails
        ScriptedHandler handler = new ScriptedHandler(e -> {
            throw new IllegalStateException("partner down, attempt " + e.attempt());
        });
        start(settings().build(), handler);
        Header traceHeader = new RecordHeader("trace", new byte[] {1, 2, 3});
        ladder.send("k1", "payload", traceHeader, new RecordHeader("event-id", "e1".getBytes(StandardCharsets.UTF_8)));

        // when it has had time for every tier
        ladder.advanceInSteps(ONE_MINUTE.plus(FIVE_MINUTES).plus(FIVE_MINUTES).plus(Duration.ofSeconds(5)));

        // then it climbed main → 1m → 5m → 5m and died with four error records
        assertThat(handler.calls()).extracting(ScriptedHandler.Call::tier).containsExactly(0, 1, 2, 2);
        assertThat(ladder.read("orders-retry-1m")).hasSize(1);
        assertThat(ladder.read("orders-retry-5m")).hasSize(2);
        List<TestRecord<byte[], byte[]>> dlt = ladder.read("orders-dlt");
        assertThat(dlt).hasSize(1);
        RetryEnvelope dead =
                dev.ladder.serde.AvroCodec.ENVELOPE.decode(dlt.get(0).value());
        assertThat(dead.getErrors()).extracting(ErrorRecord::getAttempt).containsExactly(1, 2, 3, 4);
        assertThat(dead.getErrors())
                .extracting(ErrorRecord::getExceptionClass)
                .containsOnly(IllegalStateException.class.getName());
        assertThat(dead.getDeadLetterReason()).startsWith("retries exhausted after 4 attempts");
        assertThat(Envelopes.bytes(dead.getKey())).isEqualTo("k1".getBytes(StandardCharsets.UTF_8));
        assertThat(Envelopes.bytes(dead.getValue())).isEqualTo("payload".getBytes(StandardCharsets.UTF_8));
        assertThat(Envelopes.originalHeaders(dead)).extracting(Header::key).containsExactly("trace", "event-id");
        assertThat(Envelopes.originalHeaders(dead).get(0).value()).isEqualTo(new byte[] {1, 2, 3});
        assertThat(dead.getOriginalTopic()).isEqualTo(MAIN);
        assertThat(dead.getOriginalOffset()).isZero();
        // and the record itself keeps the key and carries Spring-compatible headers
        TestRecord<byte[], byte[]> record = dlt.get(0);
        assertThat(record.key()).isEqualTo("k1".getBytes(StandardCharsets.UTF_8));
        assertThat(record.headers().lastHeader("trace").value()).isEqualTo(new byte[] {1, 2, 3});
        assertThat(new String(
                        record.headers()
                                .lastHeader(LadderHeaders.DLT_ORIGINAL_TOPIC)
                                .value(),
                        StandardCharsets.UTF_8))
                .isEqualTo(MAIN);
        assertThat(ByteBuffer.wrap(record.headers()
                                .lastHeader(LadderHeaders.DLT_ORIGINAL_PARTITION)
                                .value())
                        .getInt())
                .isZero();
        assertThat(record.headers()
                        .lastHeader(LadderHeaders.DLT_ORIGINAL_OFFSET)
                        .value())
                .hasSize(8);
        assertThat(record.headers()
                        .lastHeader(LadderHeaders.DLT_ORIGINAL_TIMESTAMP)
                        .value())
                .hasSize(8);
        assertThat(new String(
                        record.headers()
                                .lastHeader(LadderHeaders.DLT_EXCEPTION_FQCN)
                                .value(),
                        StandardCharsets.UTF_8))
                .isEqualTo(IllegalStateException.class.getName());
        assertThat(ladder.status("e1").getStatus()).isEqualTo("DEAD_LETTERED");
    }

    @Test
    void shouldDeadLetterANonRetryableFailureAtOnce() {
        // given
        start(settings().build(), new ScriptedHandler(e -> {
            throw new NonRetryableException("order id is malformed");
        }));

        // when
        ladder.send("k1", "v1");

        // then
        assertThat(ladder.read("orders-retry-1m")).isEmpty();
        List<RetryEnvelope> dead = ladder.deadLetters();
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).getErrors()).hasSize(1);
        assertThat(dead.get(0).getErrors().get(0).getKind()).isEqualTo("PERMANENT");
        assertThat(dead.get(0).getDeadLetterReason()).contains("non-retryable").contains("order id is malformed");
    }

    @Test
    void shouldNeverDeadLetterWhenTheLastTierIsUnlimited() {
        // given a ladder whose last tier retries forever, and a downstream that never recovers
        ScriptedHandler handler = new ScriptedHandler(e -> Outcome.retry("still down"));
        start(
                settings()
                        .policy(RetryPolicy.of(Tier.of(ONE_MINUTE, 1), Tier.unlimited(FIVE_MINUTES)))
                        .build(),
                handler);
        ladder.send("k1", "v1");

        // when two hours pass
        ladder.advanceInSteps(Duration.ofHours(2));

        // then it kept retrying every five minutes and never reached the DLT
        assertThat(ladder.read("orders-dlt")).isEmpty();
        assertThat(handler.calls().size()).isBetween(23, 25);
        assertThat(handler.calls().get(handler.calls().size() - 1).tier()).isEqualTo(2);
    }

    @Test
    void shouldParkLaterEventsOfARetryingKeyAndRunThemInOrderWhileOtherKeysFlow() {
        // given key K's first event fails once
        ScriptedHandler handler =
                new ScriptedHandler(e -> e.attempt() == 1 && "a".equals(ScriptedHandler.text(e.value()))
                        ? Outcome.retry("busy")
                        : Outcome.success());
        start(settings().build(), handler);

        // when K's later events and J's event arrive while K's head retries
        ladder.send("K", "a");
        ladder.send("K", "b");
        ladder.send("K", "c");
        ladder.send("J", "x");

        // then J flowed, K's followers waited
        assertThat(handler.values()).containsExactly("a", "x");
        assertThat(ladder.keyState("K").getParked()).isEqualTo(2);

        // and when the head's retry succeeds, the followers run in their original order
        ladder.advanceInSteps(ONE_MINUTE.plusSeconds(2));
        assertThat(handler.values()).containsExactly("a", "x", "a", "b", "c");
        assertThat(ladder.read("orders-out"))
                .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactly("x", "a", "b", "c");
        assertThat(ladder.keyState("K")).isNull();
    }

    @Test
    void shouldReleaseFollowersWhenTheHeadDiesUnderTheReleasePolicy() {
        // given K's head always fails and dies after the ladder
        ScriptedHandler handler = new ScriptedHandler(
                e -> "head".equals(ScriptedHandler.text(e.value())) ? Outcome.retry("busy") : Outcome.success());
        start(settings().onDeadLetter(LadderSettings.DeadKeyPolicy.RELEASE).build(), handler);
        ladder.send("K", "head");
        ladder.send("K", "follower");

        // when the head exhausts its attempts
        ladder.advanceInSteps(Duration.ofMinutes(12));

        // then the follower ran after it
        assertThat(ladder.deadLetters()).hasSize(1);
        assertThat(handler.values()).endsWith("head", "follower");
        assertThat(ladder.keyState("K")).isNull();
    }

    @Test
    void shouldHoldTheKeyWhenTheHeadDiesUnderTheHoldPolicy() {
        // given
        ScriptedHandler handler = new ScriptedHandler(
                e -> "head".equals(ScriptedHandler.text(e.value())) ? Outcome.retry("busy") : Outcome.success());
        start(settings().onDeadLetter(LadderSettings.DeadKeyPolicy.HOLD).build(), handler);
        ladder.send("K", "head");
        ladder.send("K", "follower");

        // when the head dies and more events arrive
        ladder.advanceInSteps(Duration.ofMinutes(12));
        ladder.send("K", "late");
        ladder.send("J", "other");

        // then K stays blocked with both followers parked, while J flows
        assertThat(ladder.deadLetters()).hasSize(1);
        assertThat(handler.values()).doesNotContain("follower", "late").contains("other");
        assertThat(ladder.keyState("K").getHeld()).isTrue();
        assertThat(ladder.keyState("K").getParked()).isEqualTo(2);
        assertThat(ladder.keyState("K").getHeldReason()).contains("dead-lettered");
    }

    @Test
    void shouldDropADuplicateWhileTheFirstIsInProgressAndAfterItSucceeded() {
        // given an event that fails once
        ScriptedHandler handler = failingFirst(1);
        start(settings().build(), handler);
        Header id = new RecordHeader("event-id", "order-42".getBytes(StandardCharsets.UTF_8));
        ladder.send("k1", "v1", id);

        // when a duplicate arrives while it retries
        ladder.send("k1", "v1", id);
        assertThat(handler.calls()).hasSize(1);

        // and another after it succeeded
        ladder.advanceInSteps(ONE_MINUTE.plusSeconds(2));
        assertThat(ladder.status("order-42").getStatus()).isEqualTo("SUCCEEDED");
        ladder.send("k1", "v1", id);

        // then only the first was handled, and delivered once
        assertThat(handler.calls()).hasSize(2);
        assertThat(ladder.read("orders-out")).hasSize(1);
        assertThat(ladder.metrics()
                        .registry()
                        .get(LadderMetrics.EVENTS)
                        .tag("outcome", "duplicate")
                        .counter()
                        .count())
                .isEqualTo(2.0);
    }

    @Test
    void shouldForgetFinishedEventIdsAfterTheRetention() {
        // given a short retention
        ScriptedHandler handler = ScriptedHandler.alwaysSucceeds();
        start(settings().idempotencyRetention(Duration.ofMinutes(10)).build(), handler);
        Header id = new RecordHeader("event-id", "order-7".getBytes(StandardCharsets.UTF_8));
        ladder.send("k1", "v1", id);

        // when the retention has passed
        ladder.advanceInSteps(Duration.ofMinutes(10).plusSeconds(2));

        // then the id is forgotten and the same id is processed again (its finished entry may stay
        // until its segment drops, but a lookup no longer sees it)
        ladder.send("k1", "v1", id);
        assertThat(handler.calls()).hasSize(2);
        assertThat(ladder.read("orders-out")).hasSize(2);
    }

    @Test
    void shouldDeadLetterAGarbageRecordOnARetryTopicWithAClearReasonAndKeepRunning() {
        // given
        ScriptedHandler handler = ScriptedHandler.alwaysSucceeds();
        start(settings().build(), handler);

        // when garbage lands on a tier topic
        ladder.sendRaw(
                "orders-retry-1m",
                "k9".getBytes(StandardCharsets.UTF_8),
                "not an envelope".getBytes(StandardCharsets.UTF_8));
        ladder.send("k1", "after");

        // then it reaches the DLT, bytes untouched, with the reason; and the app keeps processing
        List<RetryEnvelope> dead = ladder.deadLetters();
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).getDeadLetterReason())
                .contains("invalid record on orders-retry-1m")
                .contains("single-object marker");
        assertThat(Envelopes.bytes(dead.get(0).getValue()))
                .isEqualTo("not an envelope".getBytes(StandardCharsets.UTF_8));
        assertThat(dead.get(0).getErrors().get(0).getKind()).isEqualTo("INVALID_RECORD");
        assertThat(handler.values()).containsExactly("after");
    }

    @Test
    void shouldKeepTheErrorHistoryBoundedSoTheDeadLetterStaysSmall() {
        // given 100 failures with long stack traces before the event dies
        String longMessage = "x".repeat(50_000);
        ScriptedHandler handler = new ScriptedHandler(e -> {
            throw new IllegalStateException(longMessage, deep(200));
        });
        start(settings().policy(RetryPolicy.of(Tier.of(ONE_MINUTE, 99))).build(), handler);
        ladder.send("k1", "v1");

        // when
        ladder.advanceInSteps(Duration.ofMinutes(101));

        // then
        assertThat(handler.calls()).hasSize(100);
        List<TestRecord<byte[], byte[]>> dlt = ladder.read("orders-dlt");
        assertThat(dlt).hasSize(1);
        RetryEnvelope dead =
                dev.ladder.serde.AvroCodec.ENVELOPE.decode(dlt.get(0).value());
        assertThat(dlt.get(0).value().length).isLessThan(100_000);
        LadderSettings.HistoryLimits limits = LadderSettings.HistoryLimits.defaults();
        assertThat(dead.getErrors()).hasSize(limits.keepFirst() + limits.keepLast());
        assertThat(dead.getErrorsElided()).isEqualTo(100 - limits.keepFirst() - limits.keepLast());
        assertThat(dead.getErrors().get(0).getAttempt()).isEqualTo(1);
        assertThat(dead.getErrors().get(dead.getErrors().size() - 1).getAttempt())
                .isEqualTo(100);
    }

    @Test
    void shouldFireTenThousandPendingTimersInDueOrder() {
        // given 10,000 events of distinct keys that each fail once, asking (Retry-After style) to be
        // retried at due times spread over 70 s in an order unrelated to their arrival
        int count = 10_000;
        List<Integer> slots = IntStream.range(0, count).boxed().collect(Collectors.toCollection(ArrayList::new));
        Collections.shuffle(slots, new Random(20260101));
        Map<String, Instant> notBefore = new HashMap<>();
        for (int i = 0; i < count; i++) {
            notBefore.put("e" + i, LadderDriver.START.plus(ONE_MINUTE).plusMillis(slots.get(i) * 7L));
        }
        ScriptedHandler handler = new ScriptedHandler(e ->
                e.attempt() == 1 ? Outcome.retry("busy").withNotBefore(notBefore.get(e.eventId())) : Outcome.success());
        // one call at a time: with several in flight, calls start in due order but may reach the
        // handler in any order
        start(settings().concurrency(1).build(), handler);
        for (int i = 0; i < count; i++) {
            ladder.send("k" + i, "v" + i, eventId("e" + i));
        }
        Map<String, Long> due = ladder.read("orders-retry-1m").stream()
                .map(r -> AvroCodec.ENVELOPE.decode(r.value()))
                .collect(Collectors.toMap(RetryEnvelope::getEventId, RetryEnvelope::getDueTime));
        assertThat(due).hasSize(count);
        assertThat(handler.calls()).hasSize(count);

        // when the clock moves past every due time
        for (int step = 0; step < 30 && handler.calls().size() < 2 * count; step++) {
            ladder.advance(step == 0 ? Duration.ofSeconds(135) : Duration.ofSeconds(1));
        }

        // then every event ran exactly twice, and the retries ran in due order
        List<ScriptedHandler.Call> retries =
                handler.calls().subList(count, handler.calls().size());
        assertThat(retries)
                .hasSize(count)
                .allSatisfy(c -> assertThat(c.attempt()).isEqualTo(2));
        assertThat(retries).extracting(c -> due.get(c.eventId())).isSorted();
        assertThat(handler.calls().stream()
                        .collect(Collectors.groupingBy(ScriptedHandler.Call::eventId, Collectors.counting())))
                .hasSize(count)
                .allSatisfy((id, calls) -> assertThat(calls).as(id).isEqualTo(2L));
        assertThat(ladder.read("orders-out")).hasSize(count);
    }

    @Test
    void shouldNotParkLaterEventsOfAKeyWhenOrderingIsOff() {
        // given K's first event fails once, and no per-key ordering
        ScriptedHandler handler =
                new ScriptedHandler(e -> e.attempt() == 1 && "a".equals(ScriptedHandler.text(e.value()))
                        ? Outcome.retry("busy")
                        : Outcome.success());
        start(settings().ordering(LadderSettings.Ordering.NONE).build(), handler);

        // when K's later events arrive while the first retries
        ladder.send("K", "a");
        ladder.send("K", "b");
        ladder.send("K", "c");

        // then they ran at once, not behind it, and the key has no ordering state
        assertThat(handler.values()).containsExactly("a", "b", "c");
        assertThat(ladder.keyState("K")).isNull();
        assertThat(ladder.read("orders-out"))
                .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactly("b", "c");

        // and the first one still retries on its own
        ladder.advanceInSteps(ONE_MINUTE.plusSeconds(2));
        assertThat(handler.values()).containsExactly("a", "b", "c", "a");
        assertThat(ladder.read("orders-out"))
                .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                .containsExactly("a");
    }

    @Test
    void shouldWriteNothingForADroppedEventAndMarkItDropped() {
        // given
        ScriptedHandler handler = new ScriptedHandler(e -> Outcome.drop("not for this partner"));
        start(settings().build(), handler);

        // when
        ladder.send("k1", "v1", eventId("e1"));
        ladder.advanceInSteps(Duration.ofMinutes(2));

        // then
        assertThat(handler.calls()).hasSize(1);
        assertThat(ladder.read("orders-out")).isEmpty();
        assertThat(ladder.read("orders-retry-1m")).isEmpty();
        assertThat(ladder.read("orders-dlt")).isEmpty();
        assertThat(ladder.status("e1").getStatus()).isEqualTo("DROPPED");
        assertThat(ladder.metrics()
                        .registry()
                        .get(LadderMetrics.EVENTS)
                        .tag("outcome", "dropped")
                        .counter()
                        .count())
                .isEqualTo(1.0);
    }

    @Test
    void shouldPushTheTierRetryLaterWhenTheHandlerAsksNotBefore() {
        // given the first attempt asks to be retried no earlier than three minutes on, a 1m tier
        Instant notBefore = LadderDriver.START.plus(Duration.ofMinutes(3));
        ScriptedHandler handler = new ScriptedHandler(e ->
                e.attempt() == 1 ? Outcome.retry("429 Too Many Requests").withNotBefore(notBefore) : Outcome.success());
        start(settings().build(), handler);
        ladder.send("k1", "v1");

        // when the wall clock moves in punctuation steps
        int secondsUntilRetry = 0;
        while (handler.calls().size() < 2 && secondsUntilRetry < 300) {
            ladder.advance(Duration.ofSeconds(1));
            secondsUntilRetry++;
        }

        // then the retry ran at three minutes, not at the tier's one minute
        assertThat(secondsUntilRetry).isBetween(180, 181);
        assertThat(handler.calls().get(1).tier()).isEqualTo(1);
        assertThat(ladder.read("orders-out")).hasSize(1);
    }

    @Test
    void shouldRetryImmediatelyInsideTheFirstAttemptWithoutReachingATier() {
        // given two immediate retries and a handler that fails twice, then succeeds
        ScriptedHandler handler = failingFirst(2);
        RetryPolicy policy =
                RetryPolicy.of(Tier.of(ONE_MINUTE, 1), Tier.of(FIVE_MINUTES, 2)).withImmediateRetries(2, Duration.ZERO);
        start(settings().policy(policy).build(), handler);

        // when
        ladder.send("k1", "v1", eventId("e1"));

        // then three calls, all attempt 1 on the main topic, and no tier record
        assertThat(handler.calls()).hasSize(3).allSatisfy(c -> {
            assertThat(c.attempt()).isEqualTo(1);
            assertThat(c.tier()).isZero();
        });
        assertThat(ladder.read("orders-retry-1m")).isEmpty();
        assertThat(ladder.read("orders-out")).hasSize(1);
        assertThat(ladder.status("e1").getStatus()).isEqualTo("SUCCEEDED");
        assertThat(ladder.status("e1").getAttempts()).isEqualTo(1);
    }

    private static Header eventId(String id) {
        return new RecordHeader("event-id", id.getBytes(StandardCharsets.UTF_8));
    }

    private static Throwable deep(int depth) {
        return depth == 0
                ? new RuntimeException("root cause")
                : new RuntimeException("level " + depth, deep(depth - 1));
    }
}
