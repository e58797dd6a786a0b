package dev.ladder.downstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.downstream.DownstreamGate.State;
import dev.ladder.handler.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

    private static final long T0 = 1_700_000_000_000L;
    private static final long OPEN_FOR = 30_000;
    private static final long PROBE_INTERVAL = 5_000;
    private static final BreakerSettings SETTINGS =
            new BreakerSettings(true, 10, 5, 0.5, Duration.ofMillis(OPEN_FOR), Duration.ofMillis(PROBE_INTERVAL));

    private final List<State> transitions = new ArrayList<>();
    private final CircuitBreaker breaker = new CircuitBreaker(SETTINGS, (from, to, rate, now) -> transitions.add(to));

    @Test
    void shouldNotOpenBeforeMinimumCalls() {
        // given four transient failures, one short of the minimum
        record(4, Outcome.retry("down"), T0);

        // then the breaker stays closed
        assertThat(breaker.state(T0)).isEqualTo(State.CLOSED);
        assertThat(breaker.callAllowed(T0)).isTrue();
    }

    @Test
    void shouldOpenWhenTheFailureShareReachesTheThresholdAtMinimumCalls() {
        // given 3 successes and 2 transient failures: 5 calls, 40 %
        record(3, Outcome.success(), T0);
        record(2, Outcome.retry("down"), T0);
        assertThat(breaker.state(T0)).isEqualTo(State.CLOSED);

        // when one more transient failure makes it 3 of 6 (50 %)
        breaker.record(false, Outcome.retry("down"), T0);

        // then it opens
        assertThat(breaker.state(T0)).isEqualTo(State.OPEN);
        assertThat(breaker.callAllowed(T0)).isFalse();
        assertThat(breaker.nextCallAt(T0)).isEqualTo(T0 + OPEN_FOR);
        assertThat(transitions).containsExactly(State.OPEN);
    }

    @Test
    void shouldForgetCallsThatLeftTheWindow() {
        // given 4 failures among 10 calls (40 %), then 10 successes that push them out
        record(6, Outcome.success(), T0);
        record(4, Outcome.retry("down"), T0);
        record(10, Outcome.success(), T0);
        assertThat(breaker.failureRate()).isZero();

        // when 4 new failures arrive: 4 of the last 10
        record(4, Outcome.retry("down"), T0);

        // then only they count, and the breaker stays closed
        assertThat(breaker.failureRate()).isEqualTo(0.4);
        assertThat(breaker.state(T0)).isEqualTo(State.CLOSED);
    }

    @Test
    void shouldNeverOpenOnPermanentFailures() {
        // given a full window of permanent failures (a 4xx is an answer: the downstream is up)
        record(50, Outcome.fail("bad request"), T0);

        // then the breaker stays closed
        assertThat(breaker.state(T0)).isEqualTo(State.CLOSED);
        assertThat(breaker.failureRate()).isZero();
    }

    @Test
    void shouldAllowNoCallUntilOpenForThenExactlyOneProbePerInterval() {
        // given an open breaker
        record(5, Outcome.retry("down"), T0);

        // then no call until openFor has passed
        assertThat(breaker.tryAcquireProbe(T0 + OPEN_FOR - 1)).isFalse();
        assertThat(breaker.state(T0 + OPEN_FOR - 1)).isEqualTo(State.OPEN);

        // when probes keep failing, polled every 100 ms for a minute
        int probes = 0;
        List<Long> probeTimes = new ArrayList<>();
        for (long now = T0 + OPEN_FOR; now < T0 + OPEN_FOR + 60_000; now += 100) {
            if (breaker.tryAcquireProbe(now)) {
                probes++;
                probeTimes.add(now);
                assertThat(breaker.tryAcquireProbe(now))
                        .as("second probe while one is in flight")
                        .isFalse();
                breaker.record(true, Outcome.retry("still down"), now + 50);
            }
        }

        // then exactly one probe per probe interval, the first at once
        assertThat(probeTimes.get(0)).isEqualTo(T0 + OPEN_FOR);
        assertThat(probes).isEqualTo(12);
        for (int i = 1; i < probeTimes.size(); i++) {
            assertThat(probeTimes.get(i) - probeTimes.get(i - 1)).isEqualTo(PROBE_INTERVAL + 100);
        }
    }

    @Test
    void shouldAllowOnlyOneProbeInFlight() {
        // given a half-open breaker whose probe has not answered yet
        record(5, Outcome.retry("down"), T0);
        long halfOpen = T0 + OPEN_FOR;
        assertThat(breaker.state(halfOpen)).isEqualTo(State.HALF_OPEN);
        assertThat(breaker.tryAcquireProbe(halfOpen)).isTrue();

        // then no other call may start, even after a probe interval
        assertThat(breaker.callAllowed(halfOpen + 1)).isFalse();
        assertThat(breaker.tryAcquireProbe(halfOpen + PROBE_INTERVAL)).isFalse();
        assertThat(breaker.nextCallAt(halfOpen)).isEqualTo(halfOpen + OPEN_FOR);

        // and results of ordinary calls do not settle the probe
        breaker.record(false, Outcome.success(), halfOpen + 100);
        assertThat(breaker.state(halfOpen + 100)).isEqualTo(State.HALF_OPEN);

        // when the probe is never recorded (its task closed), it is given up after the lease
        assertThat(breaker.tryAcquireProbe(halfOpen + OPEN_FOR)).isTrue();
        assertThat(transitions).containsExactly(State.OPEN, State.HALF_OPEN);
    }

    @Test
    void shouldCloseAndClearTheWindowWhenAProbeSucceeds() {
        // given a half-open breaker with a probe in flight
        record(5, Outcome.retry("down"), T0);
        long halfOpen = T0 + OPEN_FOR;
        breaker.tryAcquireProbe(halfOpen);

        // when the probe gets a permanent failure (an answer all the same)
        breaker.record(true, Outcome.fail("bad request"), halfOpen + 10);

        // then the breaker closes with an empty window: four new failures do not reopen it
        assertThat(breaker.state(halfOpen + 10)).isEqualTo(State.CLOSED);
        assertThat(breaker.failureRate()).isZero();
        record(4, Outcome.retry("down"), halfOpen + 20);
        assertThat(breaker.state(halfOpen + 20)).isEqualTo(State.CLOSED);
        assertThat(transitions).containsExactly(State.OPEN, State.HALF_OPEN, State.CLOSED);
    }

    @Test
    void shouldReopenWhenAProbeFails() {
        // given a half-open breaker with a probe in flight
        record(5, Outcome.retry("down"), T0);
        long halfOpen = T0 + OPEN_FOR;
        breaker.tryAcquireProbe(halfOpen);

        // when the probe times out
        long failedAt = halfOpen + 2_000;
        breaker.record(true, Outcome.retry("timeout"), failedAt);

        // then it is open again, until the next probe one probe interval later
        assertThat(breaker.state(failedAt)).isEqualTo(State.OPEN);
        assertThat(breaker.nextCallAt(failedAt)).isEqualTo(failedAt + PROBE_INTERVAL);
        assertThat(breaker.tryAcquireProbe(failedAt + PROBE_INTERVAL - 1)).isFalse();
        assertThat(breaker.tryAcquireProbe(failedAt + PROBE_INTERVAL)).isTrue();
        assertThat(transitions).containsExactly(State.OPEN, State.HALF_OPEN, State.OPEN, State.HALF_OPEN);
    }

    @Test
    void shouldIgnoreLateResultsOfCallsGrantedBeforeItOpened() {
        // given an open breaker
        record(5, Outcome.retry("down"), T0);

        // when calls that were already running come back successful
        record(10, Outcome.success(), T0 + 1);

        // then it stays open
        assertThat(breaker.state(T0 + 1)).isEqualTo(State.OPEN);
    }

    @Test
    void shouldNeverOpenWhenDisabled() {
        // given a disabled breaker
        CircuitBreaker disabled =
                new CircuitBreaker(BreakerSettings.disabled(), (from, to, rate, now) -> transitions.add(to));

        // when every call fails
        for (int i = 0; i < 100; i++) {
            disabled.record(false, Outcome.retry("down"), T0 + i);
        }

        // then it is always closed
        assertThat(disabled.state(T0 + 100)).isEqualTo(State.CLOSED);
        assertThat(disabled.callAllowed(T0 + 100)).isTrue();
        assertThat(transitions).isEmpty();
    }

    @Test
    void shouldKeepStateAndWindowOnUpdate() {
        // given 4 failures in the window
        record(4, Outcome.retry("down"), T0);

        // when the window shrinks to 5 and the minimum to 4
        breaker.update(
                new BreakerSettings(true, 5, 4, 0.5, Duration.ofMillis(OPEN_FOR), Duration.ofMillis(PROBE_INTERVAL)));

        // then the kept failures count: one more opens it
        assertThat(breaker.failureRate()).isEqualTo(1.0);
        breaker.record(false, Outcome.retry("down"), T0);
        assertThat(breaker.state(T0)).isEqualTo(State.OPEN);

        // and an update while open keeps it open
        breaker.update(SETTINGS);
        assertThat(breaker.state(T0 + 1)).isEqualTo(State.OPEN);
    }

    @Test
    void shouldCloseWhenDisabledWhileOpen() {
        // given an open breaker
        record(5, Outcome.retry("down"), T0);

        // when the breaker is switched off
        breaker.update(BreakerSettings.disabled());

        // then calls go through again
        assertThat(breaker.state(T0 + 1)).isEqualTo(State.CLOSED);
        assertThat(transitions).containsExactly(State.OPEN, State.CLOSED);
    }

    private void record(int calls, Outcome outcome, long now) {
        for (int i = 0; i < calls; i++) {
            breaker.record(false, outcome, now);
        }
    }
}
