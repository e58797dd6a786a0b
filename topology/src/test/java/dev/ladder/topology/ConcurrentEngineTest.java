package dev.ladder.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.handler.AsyncEventHandler;
import dev.ladder.handler.Event;
import dev.ladder.handler.Outcome;
import dev.ladder.policy.BreakerSettings;
import dev.ladder.policy.LadderSettings;
import dev.ladder.policy.RetryPolicy;
import dev.ladder.policy.Tier;
import dev.ladder.policy.TopicNames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The concurrent engine through a real task: several keys' calls in flight at once, one per key,
 * and every call recorded before the commit that follows it (the commit barrier).
 */
class ConcurrentEngineTest {

    private static final String MAIN = "orders";

    @TempDir
    Path stateDir;

    /** A handler that answers after {@code delay} off the caller's thread and tracks overlap. */
    static final class SlowHandler implements AsyncEventHandler {
        final Duration delay;
        final AtomicInteger inFlight = new AtomicInteger();
        final AtomicInteger peak = new AtomicInteger();
        final Map<String, AtomicInteger> perKey = new ConcurrentHashMap<>();
        final AtomicInteger keyOverlaps = new AtomicInteger();
        final List<String> started = new CopyOnWriteArrayList<>();
        final java.util.function.Function<Event, Outcome> answer;

        SlowHandler(Duration delay, java.util.function.Function<Event, Outcome> answer) {
            this.delay = delay;
            this.answer = answer;
        }

        @Override
        public CompletionStage<Outcome> handleAsync(Event event) {
            String key = new String(event.key(), StandardCharsets.UTF_8);
            started.add(event.eventId());
            peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            if (perKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet() > 1) {
                keyOverlaps.incrementAndGet();
            }
            return CompletableFuture.supplyAsync(
                    () -> {
                        perKey.get(key).decrementAndGet();
                        inFlight.decrementAndGet();
                        return answer.apply(event);
                    },
                    CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS));
        }
    }

    private static LadderSettings.Builder settings() {
        return LadderSettings.builder(MAIN)
                .policy(RetryPolicy.of(Tier.of(Duration.ofSeconds(1), 1), Tier.of(Duration.ofSeconds(5), 1)))
                // these tests fail many first attempts on purpose; the breaker would defer them
                .breaker(BreakerSettings.disabled())
                .outputTopicPattern(TopicNames.DEFAULT_OUTPUT_PATTERN);
    }

    private static RecordHeader id(String eventId) {
        return new RecordHeader("event-id", eventId.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE})
    void shouldRunDueRetriesOfManyKeysAtOnceAndOneCallPerKey(String guarantee) {
        // given 40 events over 20 keys whose first attempts fail, and a handler taking 100 ms a call
        SlowHandler handler = new SlowHandler(
                Duration.ofMillis(100), e -> e.attempt() == 1 ? Outcome.retry("503") : Outcome.success());
        try (LadderDriver ladder = new LadderDriver(settings().concurrency(16).build(), handler, guarantee, stateDir)) {
            for (int i = 0; i < 40; i++) {
                ladder.send("k" + (i % 20), "v" + i, id("e" + i));
            }
            // the first 20 (one per key) failed and went to the 1 s tier; the second 20 parked behind them
            assertThat(ladder.read("orders-retry-1s")).hasSize(20);

            // when the retries fall due
            for (int step = 0; step < 10; step++) {
                ladder.advance(Duration.ofSeconds(1));
            }

            // then all were delivered, with many calls in flight at once but never two of one key
            assertThat(ladder.read("orders-out")).hasSize(40);
            assertThat(handler.peak.get()).isBetween(2, 16);
            assertThat(handler.keyOverlaps.get()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE})
    void shouldRecordEveryCallInFlightBeforeTheCommit(String guarantee) {
        // given events of distinct keys whose first attempt fails, and a handler answering 300 ms later
        SlowHandler handler = new SlowHandler(
                Duration.ofMillis(300), e -> e.attempt() == 1 ? Outcome.retry("503") : Outcome.success());
        try (LadderDriver ladder = new LadderDriver(settings().build(), handler, guarantee, stateDir)) {
            for (int i = 0; i < 5; i++) {
                ladder.send("k" + i, "v" + i, id("e" + i));
            }

            // when one punctuation starts all their retries (and the driver commits right after it)
            ladder.advance(Duration.ofSeconds(3));

            // then the commit waited for the calls: every outcome is recorded, none is left in flight
            assertThat(handler.started).hasSize(10);
            assertThat(handler.inFlight.get()).isZero();
            assertThat(ladder.read("orders-out")).hasSize(5);
            for (int i = 0; i < 5; i++) {
                assertThat(ladder.status("e" + i).getStatus()).isEqualTo("SUCCEEDED");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE})
    void shouldKeepPerKeyOrderWhileCallsOverlap(String guarantee) {
        // given 5 keys with 10 events each; every third event fails once
        SlowHandler handler = new SlowHandler(Duration.ofMillis(5), e -> {
            int n = Integer.parseInt(new String(e.value(), StandardCharsets.UTF_8).substring(1));
            return n % 3 == 0 && e.attempt() == 1 ? Outcome.retry("503") : Outcome.success();
        });
        try (LadderDriver ladder = new LadderDriver(settings().build(), handler, guarantee, stateDir)) {
            for (int i = 0; i < 50; i++) {
                ladder.send("k" + (i % 5), "v" + i, id("e" + i));
            }

            // when the retries and the parked followers have run
            for (int step = 0; step < 20; step++) {
                ladder.advance(Duration.ofSeconds(1));
            }

            // then each key's output is in its send order
            Map<String, List<Integer>> byKey = new java.util.TreeMap<>();
            ladder.read("orders-out")
                    .forEach(r -> byKey.computeIfAbsent(
                                    new String(r.key(), StandardCharsets.UTF_8), k -> new java.util.ArrayList<>())
                            .add(Integer.parseInt(new String(r.value(), StandardCharsets.UTF_8).substring(1))));
            assertThat(byKey).hasSize(5);
            byKey.values().forEach(values -> assertThat(values).hasSize(10).isSorted());
            assertThat(handler.keyOverlaps.get()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE})
    void shouldSpreadSlowDueRetriesOverSeveralTransactions(String guarantee) {
        // given 60 retries due at once, one call at a time, 350 ms each: 21 s of calls in all
        SlowHandler handler = new SlowHandler(
                Duration.ofMillis(350), e -> e.attempt() == 1 ? Outcome.retry("503") : Outcome.success());
        ScriptedFirst first = new ScriptedFirst(handler);
        try (LadderDriver ladder = new LadderDriver(settings().concurrency(1).build(), first, guarantee, stateDir)) {
            for (int i = 0; i < 60; i++) {
                ladder.send("k" + i, "v" + i, id("e" + i));
            }
            first.slow = true;

            // when one punctuation finds them all due
            ladder.advance(Duration.ofSeconds(2));

            // then it stops starting calls at its time budget (5 s), and the commit follows
            int afterOne = handler.started.size();
            assertThat(afterOne).isGreaterThan(1).isLessThan(25);
            assertThat(ladder.read("orders-out")).hasSize(afterOne);

            // and the rest run in the following punctuations
            for (int step = 0; step < 10 && ladder.read("orders-out").size() + afterOne < 60; step++) {
                ladder.advance(Duration.ofMillis(100));
            }
            assertThat(handler.started).hasSize(60);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE})
    void shouldCallAnEventOnceWhenTwoOfItsRetryRecordsFallDueTogether(String guarantee) {
        // given a head whose retry record is on its tier topic twice (as an at-least-once crash leaves
        // it), a follower parked behind it, and a handler taking 200 ms a call
        SlowHandler handler = new SlowHandler(
                Duration.ofMillis(200), e -> e.attempt() == 1 ? Outcome.retry("503") : Outcome.success());
        try (LadderDriver ladder = new LadderDriver(settings().build(), handler, guarantee, stateDir)) {
            ladder.send("k", "v0", id("e0"));
            ladder.advance(Duration.ofMillis(300));
            var retry = ladder.read("orders-retry-1s");
            assertThat(retry).hasSize(1);
            // the second copy due 100 ms later, as the record of a call re-run after the crash
            var serde = new dev.ladder.serde.AvroEnvelopeSerde();
            var copy = serde.deserializer()
                    .deserialize("orders-retry-1s", retry.get(0).value());
            copy.setDueTime(copy.getDueTime() + 100);
            ladder.sendRaw(
                    "orders-retry-1s",
                    retry.get(0).key(),
                    serde.serializer().serialize("orders-retry-1s", copy),
                    retry.get(0).headers().toArray());
            ladder.send("k", "v1", id("e1"));

            // when both copies fall due in the same punctuation
            for (int step = 0; step < 10; step++) {
                ladder.advance(Duration.ofSeconds(1));
            }

            // then the head was called once more, not twice, and the key was freed for its follower (which,
            // like every first attempt here, fails once)
            assertThat(handler.started).containsExactly("e0", "e0", "e1", "e1");
            assertThat(handler.keyOverlaps.get()).isZero();
            assertThat(ladder.read("orders-out")).hasSize(2);
            assertThat(ladder.keyState("k")).isNull();
        }
    }

    /** First attempts answer at once (the setup); once {@code slow}, the wrapped handler answers. */
    static final class ScriptedFirst implements AsyncEventHandler {
        final SlowHandler slowHandler;
        volatile boolean slow;

        ScriptedFirst(SlowHandler slowHandler) {
            this.slowHandler = slowHandler;
        }

        @Override
        public CompletionStage<Outcome> handleAsync(Event event) {
            return slow ? slowHandler.handleAsync(event) : CompletableFuture.completedFuture(Outcome.retry("503"));
        }
    }
}
