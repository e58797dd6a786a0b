package dev.ladder.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.avro.RetryEnvelope;
import dev.ladder.downstream.DownstreamGate;
import dev.ladder.handler.Outcome;
import dev.ladder.kernel.LadderMetrics;
import dev.ladder.policy.BreakerSettings;
import dev.ladder.policy.LadderSettings;
import dev.ladder.policy.LiveSettings;
import dev.ladder.policy.RateLimitSettings;
import dev.ladder.policy.RetryPolicy;
import dev.ladder.policy.Tier;
import dev.ladder.serde.AvroCodec;
import dev.ladder.serde.RetryStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A downstream that is down for longer than all tiers together: the circuit breaker opens, events
 * and due retries wait without spending attempts (the failures that opened it are given back), nothing is dead-lettered because of the outage,
 * and after recovery everything is delivered once, in per-key order.
 */
class DownstreamOutageTest {

    private static final Duration OPEN_FOR = Duration.ofSeconds(30);
    private static final Duration PROBE_INTERVAL = Duration.ofSeconds(10);
    private static final int MINIMUM_CALLS = 4;

    @TempDir
    Path stateDir;

    /** One handler call: the event, the attempt it was told, the driver's clock, and whether the downstream was down. */
    record Call(String eventId, String value, int attempt, long clock, boolean failed) {}

    private static LadderSettings settings() {
        // tiers 1m x2, 5m x1: without the breaker an always-failing event is dead-lettered after 7 minutes
        return LadderSettings.builder("orders")
                .policy(RetryPolicy.of(Tier.of(Duration.ofMinutes(1), 2), Tier.of(Duration.ofMinutes(5), 1)))
                .outputTopicPattern("{main}-out")
                .breaker(new BreakerSettings(true, 10, MINIMUM_CALLS, 0.8, OPEN_FOR, PROBE_INTERVAL, 1))
                .rateLimit(RateLimitSettings.defaults())
                .build();
    }

    @ParameterizedTest
    @ValueSource(strings = {StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE})
    void shouldHoldEverythingWithoutSpendingAttemptsWhileTheBreakerIsOpen(String guarantee) {
        // given a downstream that fails every call, behind a real gate with the breaker on
        LadderSettings settings = settings();
        AtomicBoolean down = new AtomicBoolean(true);
        AtomicLong clock = new AtomicLong(LadderDriver.START.toEpochMilli());
        List<Call> calls = new CopyOnWriteArrayList<>();
        ScriptedHandler handler = new ScriptedHandler(event -> {
            boolean failing = down.get();
            calls.add(new Call(
                    event.eventId(), ScriptedHandler.text(event.value()), event.attempt(), clock.get(), failing));
            return failing ? Outcome.retry("503 from the downstream") : Outcome.success();
        });
        DownstreamGate gate = DownstreamGate.of(settings.breaker(), settings.rateLimit(), LadderMetrics.noop());
        try (LadderDriver ladder =
                new LadderDriver(new LiveSettings(settings), handler, gate, guarantee, stateDir, LadderDriver.START)) {

            // when minimumCalls events fail on distinct keys
            for (int k = 1; k <= MINIMUM_CALLS; k++) {
                send(ladder, "k" + k, "k" + k + "-1");
            }

            // then the breaker opens; the call that opened it found it open, so it cost its event nothing
            long now = clock.get() + 10;
            assertThat(gate.state(now)).isEqualTo(DownstreamGate.State.OPEN);
            assertThat(calls)
                    .hasSize(MINIMUM_CALLS)
                    .allSatisfy(c -> assertThat(c.attempt()).isEqualTo(1));

            // when more events arrive while it is open: a new key, and followers of a retrying and of a new key
            send(ladder, "k5", "k5-1");
            send(ladder, "k1", "k1-2");
            send(ladder, "k5", "k5-2");
            send(ladder, "k6", "k6-1");

            // then the handler is not called; the new events are deferred, the followers parked behind them
            assertThat(calls).hasSize(MINIMUM_CALLS);
            assertThat(ladder.status("k5-1").getStatus()).isEqualTo("DEFERRED");
            assertThat(ladder.status("k5-1").getAttempts()).isZero();
            assertThat(ladder.status("k6-1").getStatus()).isEqualTo("DEFERRED");
            assertThat(ladder.status("k1-2").getStatus()).isEqualTo("PARKED");
            assertThat(ladder.status("k5-2").getStatus()).isEqualTo("PARKED");
            assertThat(timerEnvelopes(ladder, guarantee).get("k5-1").getDeferrals())
                    .isEqualTo(1);

            // when the outage lasts 10 minutes, longer than all tiers together (7 minutes)
            long outageStart = clock.get();
            advance(ladder, clock, Duration.ofMinutes(10));

            // then nothing was dead-lettered, and the only calls were probes: per probe phase the
            // one probe, and at most three more when they were on events that had failed before
            // (no evidence: their permits went back; an event whose failure was given back as the
            // outage's has failed before too); a phase with no evidence at all closes on trial,
            // where each of the six waiting events is called at most once before the window's
            // minimum of failures opens it again
            assertThat(ladder.deadLetters()).isEmpty();
            List<Call> duringOutage = calls.subList(MINIMUM_CALLS, calls.size());
            assertThat(duringOutage)
                    .isNotEmpty()
                    .allSatisfy(c -> assertThat(c.failed()).isTrue());
            assertThat(duringOutage.get(0).clock() - outageStart)
                    .as("first probe after open-for")
                    .isGreaterThanOrEqualTo(OPEN_FOR.toMillis() - 1_000);
            int phases = 1;
            int inPhase = 1;
            for (int i = 1; i < duringOutage.size(); i++) {
                long gap = duringOutage.get(i).clock() - duringOutage.get(i - 1).clock();
                if (gap >= PROBE_INTERVAL.toMillis() - 1_000) {
                    phases++;
                    inPhase = 1;
                } else {
                    inPhase++;
                }
                assertThat(inPhase).as("calls in probe phase %d", phases).isLessThanOrEqualTo(3 + 6);
            }
            assertThat(phases)
                    .isLessThanOrEqualTo(
                            (int) (Duration.ofMinutes(10).minus(OPEN_FOR).toMillis() / PROBE_INTERVAL.toMillis()) + 1);
            // failed probes spent no attempt, and the failures that opened the breaker were given back:
            // every call was told attempt 1
            assertThat(duringOutage)
                    .allSatisfy(c -> assertThat(c.attempt()).as(c.eventId()).isEqualTo(1));
            Map<String, RetryEnvelope> waiting = timerEnvelopes(ladder, guarantee);
            assertThat(waiting.keySet()).containsExactlyInAnyOrder("k1-1", "k2-1", "k3-1", "k4-1", "k5-1", "k6-1");
            assertThat(waiting.values())
                    .allSatisfy(
                            e -> assertThat(e.getDeferrals()).as(e.getEventId()).isPositive());
            assertThat(waiting.get("k1-1").getAttempts()).isBetween(0, 1);
            assertThat(waiting.get("k4-1").getAttempts()).isZero();
            assertThat(waiting.get("k5-1").getAttempts()).isZero();
            assertThat(ladder.status("k1-1").getStatus()).isEqualTo("DEFERRED");

            // when the downstream recovers (retries held back are due one probe interval after first attempts)
            down.set(false);
            advance(ladder, clock, PROBE_INTERVAL.multipliedBy(2).plusSeconds(5));

            // then a probe closed the breaker and every event was delivered once, in per-key order
            assertThat(gate.state(clock.get() + 10)).isEqualTo(DownstreamGate.State.CLOSED);
            List<String> delivered =
                    calls.stream().filter(c -> !c.failed()).map(Call::value).toList();
            assertThat(delivered)
                    .doesNotHaveDuplicates()
                    .containsExactlyInAnyOrder("k1-1", "k2-1", "k3-1", "k4-1", "k5-1", "k6-1", "k1-2", "k5-2");
            assertThat(delivered.indexOf("k1-1")).isLessThan(delivered.indexOf("k1-2"));
            assertThat(delivered.indexOf("k5-1")).isLessThan(delivered.indexOf("k5-2"));
            List<String> output = ladder.read(settings.topics().output().orElseThrow()).stream()
                    .map(r -> new String(r.value(), StandardCharsets.UTF_8))
                    .toList();
            assertThat(output).containsExactlyInAnyOrderElementsOf(delivered);
            assertThat(perKey(output))
                    .allSatisfy((key, values) -> assertThat(values).as(key).isSorted());
            assertThat(ladder.deadLetters()).isEmpty();

            // and no event's attempts count the outage: the failures before the breaker opened were given back
            for (String id : List.of("k1-1", "k2-1", "k3-1", "k4-1", "k5-1", "k6-1", "k1-2", "k5-2")) {
                assertThat(ladder.status(id).getStatus()).isEqualTo("SUCCEEDED");
                assertThat(ladder.status(id).getAttempts()).as(id).isEqualTo(1);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE})
    void shouldProbeWithFreshEventsBeforeOlderDueRetries(String guarantee) {
        // given an event that fails on its own, retrying in the 1 minute tier, and one that succeeded
        LadderSettings settings = settings();
        Downstream downstream = new Downstream("a");
        AtomicBoolean down = downstream.down;
        AtomicLong clock = downstream.clock;
        List<Call> calls = downstream.calls;
        ScriptedHandler handler = downstream.handler;
        DownstreamGate gate = DownstreamGate.of(settings.breaker(), settings.rateLimit(), LadderMetrics.noop());
        try (LadderDriver ladder =
                new LadderDriver(new LiveSettings(settings), handler, gate, guarantee, stateDir, LadderDriver.START)) {
            send(ladder, "a", "a-1"); // always fails; sorts before the f events due with it
            // (answered after it: its failure was its own, not an outage's)
            send(ladder, "o", "o-1");
            advance(ladder, clock, Duration.ofSeconds(50));

            // and an outage that opens the breaker 10 s before that retry falls due
            down.set(true);
            for (int k = 1; k <= MINIMUM_CALLS; k++) {
                send(ladder, "f" + k, "f" + k + "-1");
            }
            assertThat(gate.state(clock.get() + 10)).isEqualTo(DownstreamGate.State.OPEN);
            advance(ladder, clock, Duration.ofSeconds(20));
            send(ladder, "n", "n-1");

            // when the downstream is back by the half-open phase, where the retry (due at 60 s) is
            // older than the fresh events deferred to the phase (due at 80 s)
            down.set(false);
            int before = calls.size();
            advance(ladder, clock, Duration.ofSeconds(15));

            // then the phase's probe was a fresh event, not the retry that fails by its nature
            assertThat(calls.size()).isGreaterThan(before);
            Call probe = calls.get(before);
            assertThat(probe.value())
                    .as("the first call of the half-open phase")
                    .doesNotStartWith("a");
            assertThat(probe.failed()).isFalse();
            assertThat(gate.state(clock.get())).isEqualTo(DownstreamGate.State.CLOSED);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE})
    void shouldStayClosedWhenEventsWhoseFailuresWereGivenBackFailAgainOnTheirOwn(String guarantee) {
        // given events that fail by their nature (x), and a downstream that goes down
        LadderSettings settings = settings();
        Downstream downstream = new Downstream("x");
        DownstreamGate gate = DownstreamGate.of(settings.breaker(), settings.rateLimit(), LadderMetrics.noop());
        try (LadderDriver ladder = new LadderDriver(
                new LiveSettings(settings), downstream.handler, gate, guarantee, stateDir, LadderDriver.START)) {
            // when they fail in the second before an outage's first failure opens the breaker (so
            // their failures are given back as the outage's), and the downstream comes back
            send(ladder, "s", "s-1");
            for (int k = 1; k < MINIMUM_CALLS; k++) {
                send(ladder, "x" + k, "x" + k + "-1");
            }
            assertThat(gate.state(downstream.clock.get() + 10)).isEqualTo(DownstreamGate.State.CLOSED);
            downstream.down.set(true);
            send(ladder, "c", "c-1");
            assertThat(gate.state(downstream.clock.get() + 10)).isEqualTo(DownstreamGate.State.OPEN);
            downstream.down.set(false);
            advance(ladder, downstream.clock, OPEN_FOR.plusSeconds(5));
            assertThat(gate.state(downstream.clock.get())).as("after the probe").isEqualTo(DownstreamGate.State.CLOSED);
            int before = downstream.calls.size();

            // and a fresh event's first attempt fails on its own (evidence), then the retries of
            // the events given their attempts back fall due and fail again, on their own
            send(ladder, "x9", "x9-1");
            advance(ladder, downstream.clock, Duration.ofSeconds(40));

            // then those failures are no evidence about the downstream (it answered others since
            // they last failed): the breaker stays closed
            List<String> retried = downstream.calls.subList(before, downstream.calls.size()).stream()
                    .filter(c -> c.value().startsWith("x"))
                    .map(Call::eventId)
                    .distinct()
                    .toList();
            assertThat(retried)
                    .as("events that failed by their nature, called after the close")
                    .containsExactlyInAnyOrder("x9-1", "x1-1", "x2-1", "x3-1");
            assertThat(gate.state(downstream.clock.get()))
                    .as("breaker after the retries failed on their own")
                    .isEqualTo(DownstreamGate.State.CLOSED);
            assertThat(ladder.status("c-1").getStatus()).isEqualTo("SUCCEEDED");
        }
    }

    /**
     * A downstream that answers 503 to every call while {@code down}, and always to events whose
     * value starts with a given prefix (they fail by their nature); every call is recorded.
     */
    private static final class Downstream {
        final AtomicBoolean down = new AtomicBoolean(false);
        final AtomicLong clock = new AtomicLong(LadderDriver.START.toEpochMilli());
        final List<Call> calls = new CopyOnWriteArrayList<>();
        final ScriptedHandler handler;

        Downstream(String failingByNature) {
            handler = new ScriptedHandler(event -> {
                String value = ScriptedHandler.text(event.value());
                boolean failing = down.get() || value.startsWith(failingByNature);
                calls.add(new Call(event.eventId(), value, event.attempt(), clock.get(), failing));
                return failing ? Outcome.retry("503") : Outcome.success();
            });
        }
    }

    private static void send(LadderDriver ladder, String key, String id) {
        ladder.send(key, id, new RecordHeader("event-id", id.getBytes(StandardCharsets.UTF_8)));
    }

    /** Advances the driver's wall clock a second at a time, telling the handler the time first. */
    private static void advance(LadderDriver ladder, AtomicLong clock, Duration total) {
        for (long done = 0; done < total.toMillis(); done += 1_000) {
            clock.addAndGet(1_000);
            ladder.advance(Duration.ofSeconds(1));
        }
    }

    /**
     * The envelopes waiting in the timers store, by event id. Under at-least-once a taken timer
     * stays until the commit after its replacement was written, so an event may have two for a
     * round: the later one is its current timer.
     */
    private static Map<String, RetryEnvelope> timerEnvelopes(LadderDriver ladder, String guarantee) {
        Map<String, RetryEnvelope> found = new LinkedHashMap<>();
        try (KeyValueIterator<Bytes, byte[]> it =
                ladder.store(RetryStores.TIMERS).all()) {
            while (it.hasNext()) {
                KeyValue<Bytes, byte[]> kv = it.next();
                RetryEnvelope e = AvroCodec.ENVELOPE.decode(kv.value);
                RetryEnvelope before = found.put(e.getEventId(), e);
                if (StreamsConfig.EXACTLY_ONCE_V2.equals(guarantee)) {
                    assertThat(before)
                            .as("one timer per event: %s", e.getEventId())
                            .isNull();
                } else if (before != null) {
                    assertThat(before.getDueTime())
                            .as("the kept timer is older")
                            .isLessThan(e.getDueTime());
                }
            }
        }
        return found;
    }

    private static Map<String, List<String>> perKey(List<String> values) {
        return values.stream()
                .collect(Collectors.groupingBy(
                        v -> v.substring(0, v.indexOf('-')),
                        LinkedHashMap::new,
                        Collectors.toCollection(ArrayList::new)));
    }
}
