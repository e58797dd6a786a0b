package dev.ladder.topology.internals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.avro.RetryEnvelope;
import dev.ladder.downstream.DownstreamGate;
import dev.ladder.handler.AsyncEventHandler;
import dev.ladder.handler.Event;
import dev.ladder.handler.Outcome;
import dev.ladder.kernel.LadderMetrics;
import dev.ladder.policy.LadderSettings;
import dev.ladder.policy.LiveSettings;
import dev.ladder.policy.RetryPolicy;
import dev.ladder.policy.Tier;
import dev.ladder.policy.TopicNames;
import dev.ladder.serde.AvroEnvelopeSerde;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.random.RandomGenerator;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A call answered at once (an asynchronous handler with nothing to wait for) is recorded before
 * {@link AttemptEngine#start} returns, with no hand-off through the results queue; a call that
 * answers later is recorded by the next pump.
 */
class AttemptEngineTest {

    private static final long T0 = 1_767_225_600_000L;

    @TempDir
    Path stateDir;

    private MockProcessorContext<byte[], Outbound> context;
    private EventLedger ledger;
    private AttemptEngine engine;
    private AttemptExecutor executor;
    private CompletableFuture<Outcome> answer;

    @BeforeEach
    void open() {
        LadderSettings settings = LadderSettings.builder("orders")
                .policy(RetryPolicy.of(Tier.of(Duration.ofSeconds(1), 1)))
                .outputTopicPattern(TopicNames.DEFAULT_OUTPUT_PATTERN)
                .build();
        LiveSettings live = new LiveSettings(settings);
        context = TestStores.context(stateDir);
        TimerQueue timers = new TimerQueue(TestStores.keyValue(stateDir, "timers"));
        KeyOrdering ordering = TestStores.ordering(stateDir);
        ledger = TestStores.ledger(stateDir, T0);
        LadderMetrics metrics = LadderMetrics.noop();
        LadderMetrics.TaskGauges gauges = metrics.task("0_0");
        OutcomeRecorder recorder =
                new OutcomeRecorder(live, context, new AvroEnvelopeSerde(), ordering, ledger, timers, metrics, gauges);
        AsyncEventHandler handler = new AsyncEventHandler() {
            @Override
            public CompletionStage<Outcome> handleAsync(Event event) {
                return answer;
            }
        };
        executor = new AttemptExecutor(handler, metrics, 1);
        AttemptRunner runner = new AttemptRunner(
                live,
                DownstreamGate.unlimited(),
                executor,
                recorder,
                timers,
                gauges,
                RandomGenerator.of("L64X128MixRandom"),
                () -> T0);
        engine = new AttemptEngine(runner, ordering, gauges, true, () -> 8, () -> T0);
    }

    @AfterEach
    void close() {
        engine.close();
        executor.close();
    }

    private static RetryEnvelope event(String id) {
        return TestStores.event(id, T0);
    }

    @Test
    void shouldRecordACallAnsweredAtOnceBeforeStartReturns() {
        // given a handler whose stage is complete when it returns
        answer = CompletableFuture.completedFuture(Outcome.success());

        // when an event starts
        engine.start(event("e1"), 0, 1, "orders");

        // then it is recorded already: nothing in flight, its key free, its output forwarded
        assertThat(engine.size()).isZero();
        assertThat(engine.busy("k".getBytes(StandardCharsets.UTF_8))).isFalse();
        assertThat(ledger.get("e1").getStatus()).isEqualTo("SUCCEEDED");
        assertThat(context.forwarded()).hasSize(1);
        assertThat(context.forwarded().get(0).childName()).hasValue(NodeNames.OUTPUT_SINK);
    }

    @Test
    void shouldRecordACallAnsweredLaterAtTheNextPump() {
        // given a handler whose stage completes after it returned
        answer = new CompletableFuture<>();

        // when an event starts
        engine.start(event("e1"), 0, 1, "orders");

        // then it is in flight and its key busy until the answer is back and pumped
        assertThat(engine.size()).isOne();
        assertThat(engine.busy("k".getBytes(StandardCharsets.UTF_8))).isTrue();
        assertThat(ledger.get("e1")).isNull();
        answer.complete(Outcome.success());
        engine.barrier(System.nanoTime() + Duration.ofSeconds(5).toNanos());
        assertThat(engine.size()).isZero();
        assertThat(ledger.get("e1").getStatus()).isEqualTo("SUCCEEDED");
        assertThat(context.forwarded()).hasSize(1);
    }
}
