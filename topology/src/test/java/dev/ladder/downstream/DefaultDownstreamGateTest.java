package dev.ladder.downstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.downstream.DownstreamGate.State;
import dev.ladder.handler.Outcome;
import dev.ladder.kernel.LadderMetrics;
import dev.ladder.policy.BreakerSettings;
import dev.ladder.policy.RateLimitSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class DefaultDownstreamGateTest {

    private static final long T0 = 1_700_000_000_000L;
    /** The previous-failure time of a first attempt, and of a retry that failed long ago. */
    private static final long FIRST = Long.MIN_VALUE;

    private static final long RETRY = T0 - 60_000;
    private static final long OPEN_FOR = 30_000;
    private static final BreakerSettings BREAKER =
            new BreakerSettings(true, 10, 5, 0.5, Duration.ofMillis(OPEN_FOR), Duration.ofSeconds(5), 1);
    private static final Permit.Call CALL = new Permit.Call(false, 0, FIRST);

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final LadderMetrics metrics = new LadderMetrics(registry);

    @Test
    void shouldBeBuiltThroughTheInterface() {
        assertThat(DownstreamGate.of(BREAKER, RateLimitSettings.defaults(), metrics))
                .isInstanceOf(DefaultDownstreamGate.class);
    }

    @Test
    void shouldCallAtOnceWhenClosedAndUncapped() {
        // given a closed breaker and no cap
        DownstreamGate gate = DownstreamGate.of(BREAKER, RateLimitSettings.defaults(), metrics);

        // then calls go at once
        assertThat(gate.acquire(T0, FIRST)).isEqualTo(CALL);
        assertThat(gate.blocked(T0)).isFalse();
        assertThat(gate.state(T0)).isEqualTo(State.CLOSED);
    }

    @Test
    void shouldDeferWhileOpenThenGiveOneProbeAcrossThreads() throws Exception {
        // given a breaker opened by transient failures
        DownstreamGate gate = DownstreamGate.of(BREAKER, RateLimitSettings.defaults(), metrics);
        failTransiently(gate, 5, T0);

        // then every call is deferred to the first probe
        assertThat(gate.acquire(T0 + 1, FIRST)).isEqualTo(new Permit.Defer(T0 + OPEN_FOR, "breaker-open"));
        assertThat(gate.blocked(T0 + OPEN_FOR - 1)).isTrue();
        assertThat(gaugeValue()).isEqualTo(2);
        assertThat(gate.blocked(T0 + OPEN_FOR)).isFalse();

        // when eight threads ask at the moment the breaker goes half-open
        List<Permit> permits = acquireConcurrently(gate, 8, 1, T0 + OPEN_FOR);

        // then exactly one gets the probe, and the rest wait for the next one
        assertThat(permits).filteredOn(Permit.Call.class::isInstance).containsExactly(new Permit.Call(true, 0, FIRST));
        assertThat(permits).filteredOn(Permit.Defer.class::isInstance).hasSize(7);
        assertThat(gate.blocked(T0 + OPEN_FOR)).isTrue();
        assertThat(gaugeValue()).isEqualTo(1);
    }

    @Test
    void shouldCloseOnASuccessfulProbeAndDrainSlowly() {
        // given a half-open breaker, no cap, draining from 10 calls/s
        DownstreamGate gate = DownstreamGate.of(BREAKER, new RateLimitSettings(0, true, 10), metrics);
        failTransiently(gate, 5, T0);
        long halfOpen = T0 + OPEN_FOR;
        Permit.Call probe = (Permit.Call) gate.acquire(halfOpen, FIRST);

        // when the probe succeeds
        gate.record(probe, Outcome.success(), halfOpen + 50);

        // then the breaker is closed and calls are paced at the drain rate, doubling
        long closed = halfOpen + 50;
        assertThat(gate.state(closed)).isEqualTo(State.CLOSED);
        assertThat(gate.acquire(closed, FIRST)).isEqualTo(CALL);
        assertThat(gate.acquire(closed, FIRST)).isEqualTo(new Permit.Call(false, 100, FIRST));
        assertThat(gate.acquire(closed + 1_000, FIRST)).isEqualTo(new Permit.Call(false, 0, FIRST));
        assertThat(gaugeValue()).isZero();
        assertThat(transitions("open")).isEqualTo(1);
        assertThat(transitions("half-open")).isEqualTo(1);
        assertThat(transitions("closed")).isEqualTo(1);
    }

    @Test
    void shouldReopenWhenTheProbeFails() {
        // given a half-open breaker whose probe is out
        DownstreamGate gate = DownstreamGate.of(BREAKER, RateLimitSettings.defaults(), metrics);
        failTransiently(gate, 5, T0);
        long halfOpen = T0 + OPEN_FOR;
        Permit.Call probe = (Permit.Call) gate.acquire(halfOpen, FIRST);

        // when it times out
        gate.record(probe, Outcome.retry("timeout"), halfOpen + 1_000);

        // then the breaker is open until the next probe
        assertThat(gate.state(halfOpen + 1_000)).isEqualTo(State.OPEN);
        assertThat(gate.acquire(halfOpen + 1_000, FIRST)).isEqualTo(new Permit.Defer(halfOpen + 6_000, "breaker-open"));
    }

    @Test
    void shouldPauseEveryoneUntilRetryAfterAndHalveTheRateOn429() {
        // given a gate capped at 100 calls/s
        DownstreamGate gate = DownstreamGate.of(BREAKER, new RateLimitSettings(100, true, 50), metrics);
        Permit.Call call = (Permit.Call) gate.acquire(T0, FIRST);

        // when the downstream answers 429 with Retry-After 5 s
        long until = T0 + 5_000;
        gate.answered(Outcome.retry("busy").withHttpStatus(429).withNotBefore(Instant.ofEpochMilli(until)), T0);
        gate.record(call, Outcome.retry("busy").withHttpStatus(429).withNotBefore(Instant.ofEpochMilli(until)), T0);

        // then everyone is deferred until then
        assertThat(gate.acquire(T0 + 1, FIRST)).isEqualTo(new Permit.Defer(until, "throttled"));
        assertThat(gate.blocked(until - 1)).isTrue();
        assertThat(gate.blocked(until)).isFalse();

        // and afterwards calls go at half the rate (20 ms apart), recovering to the cap
        assertThat(gate.acquire(until, FIRST)).isEqualTo(CALL);
        assertThat(gate.acquire(until, FIRST)).isEqualTo(new Permit.Call(false, 20, FIRST));
        assertThat(deferrals("throttled")).isEqualTo(1);
    }

    @Test
    void shouldPauseOneSecondOnA429WithoutRetryAfter() {
        // given an adaptive gate
        DownstreamGate gate = DownstreamGate.of(BREAKER, RateLimitSettings.defaults(), metrics);

        // when a 429 comes without a hint
        gate.answered(Outcome.retry("busy").withHttpStatus(429), T0);

        // then calls wait one second
        assertThat(gate.acquire(T0, FIRST)).isEqualTo(new Permit.Defer(T0 + 1_000, "throttled"));
        assertThat(gate.acquire(T0 + 1_000, FIRST)).isInstanceOf(Permit.Call.class);
    }

    @Test
    void shouldIgnore429WhenNotAdaptive() {
        // given a gate that is not adaptive
        DownstreamGate gate = DownstreamGate.of(BREAKER, new RateLimitSettings(0, false, 50), metrics);

        // when a 429 comes back
        gate.answered(Outcome.retry("busy").withHttpStatus(429).withNotBefore(Instant.ofEpochMilli(T0 + 5_000)), T0);

        // then only that event waits (through its own retry), not the gate
        assertThat(gate.acquire(T0, FIRST)).isEqualTo(CALL);
        assertThat(gate.holdMillis(T0 + 1)).isZero();
    }

    @Test
    void shouldHoldACallPermittedBeforeA429UntilThePauseIsOver() {
        // given a gate capped at 10 calls/s whose bucket is empty: the next permit waits 100 ms
        DownstreamGate gate = DownstreamGate.of(BREAKER, new RateLimitSettings(10, true, 50), metrics);
        for (int i = 0; i < 10; i++) {
            gate.acquire(T0, FIRST);
        }
        Permit.Call waiting = (Permit.Call) gate.acquire(T0, FIRST);
        assertThat(waiting.waitMillis()).isEqualTo(100);
        assertThat(gate.holdMillis(T0)).as("no pause, no hold").isZero();

        // when a 429 with Retry-After 2 s comes back while that permit waits
        long until = T0 + 50 + 2_000;
        gate.answered(Outcome.retry("busy").withHttpStatus(429).withNotBefore(Instant.ofEpochMilli(until)), T0 + 50);

        // then the waiting call, about to start, is held to the end of the pause at least
        assertThat(T0 + 100 + gate.holdMillis(T0 + 100)).isGreaterThanOrEqualTo(until);
        // and once it is over, nothing more holds
        assertThat(gate.holdMillis(until + 500)).isZero();
    }

    @Test
    void shouldSleepShortWaitsAndDeferLongOnesWithoutTakingTheToken() {
        // given a gate capped at 1 call/s
        DownstreamGate gate = DownstreamGate.of(BREAKER, new RateLimitSettings(1, true, 0), metrics);

        // then the first call goes, the second sleeps a second, and the third is deferred
        assertThat(gate.acquire(T0, FIRST)).isEqualTo(CALL);
        assertThat(gate.acquire(T0, FIRST)).isEqualTo(new Permit.Call(false, 1_000, FIRST));
        assertThat(gate.acquire(T0, FIRST)).isEqualTo(new Permit.Defer(T0 + 2_000, "rate-limited"));
        assertThat(gate.acquire(T0, FIRST)).isEqualTo(new Permit.Defer(T0 + 2_000, "rate-limited"));
        assertThat(gate.acquire(T0 + 2_000, FIRST)).isEqualTo(CALL);
        assertThat(gate.blocked(T0)).isFalse();
        assertThat(deferrals("rate-limited")).isEqualTo(2);
    }

    @Test
    void shouldKeepStateOnUpdate() {
        // given an open breaker
        DownstreamGate gate = DownstreamGate.of(BREAKER, RateLimitSettings.defaults(), metrics);
        failTransiently(gate, 5, T0);

        // when settings are reloaded with a wider window, a longer open time and a cap
        gate.update(
                new BreakerSettings(true, 20, 5, 0.5, Duration.ofMinutes(1), Duration.ofSeconds(5), 1),
                new RateLimitSettings(1, true, 0));

        // then it stays open (the open period under way keeps the time it started with)
        assertThat(gate.state(T0 + 1)).isEqualTo(State.OPEN);
        assertThat(gate.acquire(T0 + 1, FIRST)).isEqualTo(new Permit.Defer(T0 + OPEN_FOR, "breaker-open"));

        // and once a probe closes it, the new cap applies
        Permit.Call probe = (Permit.Call) gate.acquire(T0 + OPEN_FOR, FIRST);
        gate.record(probe, Outcome.success(), T0 + OPEN_FOR);
        assertThat(gate.acquire(T0 + OPEN_FOR, FIRST)).isEqualTo(CALL);
        assertThat(gate.acquire(T0 + OPEN_FOR, FIRST)).isEqualTo(new Permit.Call(false, 1_000, FIRST));
    }

    @Test
    void shouldNeverOverGrantToConcurrentCallers() throws Exception {
        // given a gate capped at 100 calls/s and eight threads with a fixed clock
        DownstreamGate gate = DownstreamGate.of(BREAKER, new RateLimitSettings(100, true, 0), metrics);

        // when they ask 200 times each at the same instant
        List<Permit> permits = acquireConcurrently(gate, 8, 200, T0);

        // then the burst plus one second of rate is granted, each wait once, the rest deferred
        List<Long> waits = permits.stream()
                .filter(Permit.Call.class::isInstance)
                .map(p -> ((Permit.Call) p).waitMillis())
                .sorted()
                .toList();
        List<Long> expected =
                new ArrayList<>(LongStream.range(0, 100).map(i -> 0).boxed().toList());
        expected.addAll(LongStream.rangeClosed(1, 100).map(i -> i * 10).boxed().toList());
        assertThat(waits).isEqualTo(expected);
        assertThat(permits).filteredOn(Permit.Defer.class::isInstance).hasSize(8 * 200 - 200);
    }

    @Test
    void shouldNeverOpenWhenTheBreakerIsDisabled() {
        // given a disabled breaker
        DownstreamGate gate = DownstreamGate.of(BreakerSettings.disabled(), RateLimitSettings.defaults(), metrics);

        // when every call fails
        failTransiently(gate, 100, T0);

        // then calls still go
        assertThat(gate.acquire(T0, FIRST)).isEqualTo(CALL);
        assertThat(gate.state(T0)).isEqualTo(State.CLOSED);
    }

    private static void failTransiently(DownstreamGate gate, int calls, long now) {
        for (int i = 0; i < calls; i++) {
            gate.record(CALL, Outcome.retry("down"), now);
        }
    }

    private static List<Permit> acquireConcurrently(DownstreamGate gate, int threads, int each, long now)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            ConcurrentLinkedQueue<Permit> permits = new ConcurrentLinkedQueue<>();
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        permits.add(gate.acquire(now, FIRST));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(10, TimeUnit.SECONDS);
            }
            return List.copyOf(permits);
        } finally {
            pool.shutdownNow();
        }
    }

    private double gaugeValue() {
        return registry.get(LadderMetrics.BREAKER_STATE).gauge().value();
    }

    private double transitions(String to) {
        return registry.get(LadderMetrics.BREAKER_TRANSITIONS)
                .tag("to", to)
                .counter()
                .count();
    }

    private double deferrals(String reason) {
        return registry.get(LadderMetrics.DEFERRALS)
                .tag("reason", reason)
                .counter()
                .count();
    }
}
