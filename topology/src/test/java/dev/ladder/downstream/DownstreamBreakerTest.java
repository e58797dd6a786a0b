package dev.ladder.downstream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.downstream.DownstreamGate.State;
import dev.ladder.handler.Outcome;
import dev.ladder.kernel.LadderMetrics;
import dev.ladder.policy.BreakerSettings;
import dev.ladder.policy.RateLimitSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The breaker judges the downstream, not the events: evidence, probes, lost probes, live changes. */
class DownstreamBreakerTest {

    private static final long T0 = 1_700_000_000_000L;
    /** The previous-failure time of a first attempt, and of a retry that failed long ago. */
    private static final long FIRST = Long.MIN_VALUE;

    private static final long RETRY = T0 - 60_000;
    private static final BreakerSettings DEFAULTS = BreakerSettings.defaults();
    private static final long OPEN_FOR = DEFAULTS.openFor().toMillis();
    private static final long PROBE_INTERVAL = DEFAULTS.probeInterval().toMillis();

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final DownstreamGate gate =
            DownstreamGate.of(DEFAULTS, RateLimitSettings.defaults(), new LadderMetrics(registry));

    @Test
    void shouldNeverOpenOnRetryTrafficWhileFirstAttemptsMostlySucceed() {
        // given an ordinary day: 85 % of first attempts succeed, and nearly every retry fails again
        Random random = new Random(42);
        long now = T0;
        for (int i = 0; i < 20_000; i++, now += 4) {
            boolean first = i % 5 == 0;
            Permit.Call call = (Permit.Call) gate.acquire(now, first ? FIRST : RETRY);
            boolean fails = first ? random.nextDouble() < 0.15 : random.nextDouble() < 0.97;
            gate.record(call, fails ? Outcome.retry("503") : Outcome.success(), now);
            // then the breaker never opens, whatever share of retries fail
            assertThat(gate.state(now)).isEqualTo(State.CLOSED);
        }
        assertThat(registry.find(LadderMetrics.BREAKER_TRANSITIONS).counters()).isEmpty();
    }

    @Test
    void shouldNeverOpenOnRetriesWhileTheDownstreamAnswersOthers() {
        // given the downstream answered a call after the retries last failed
        gate.record(call(true), Outcome.success(), T0);

        // when a thousand retries fail transiently again
        for (int i = 0; i < 1_000; i++) {
            gate.record(call(false), Outcome.retry("still failing"), T0 + i);
        }

        // then the breaker stays closed: their failures are their own
        assertThat(gate.state(T0 + 1_000)).isEqualTo(State.CLOSED);
    }

    @Test
    void shouldOpenOnRetriesWhenNobodyWasAnsweredSinceTheyLastFailed() {
        // given four keys whose first attempts failed, and no answer since (their followers are parked)
        long lastFailure = T0 + 10;
        failFirstAttempts(4, lastFailure);

        // when their retries fail too
        for (int i = 0; i < DEFAULTS.minimumCalls() - 4; i++) {
            gate.record(new Permit.Call(false, 0, lastFailure), Outcome.retry("503"), T0 + 1_000 + i);
        }

        // then that is evidence: nobody was answered, the downstream is down
        assertThat(gate.state(T0 + 1_100)).isEqualTo(State.OPEN);
        assertThat(gate.outageAt(lastFailure)).isTrue();
    }

    @Test
    void shouldOpenWhenFirstAttemptsFail() {
        // when 20 first attempts fail (the minimum number of counted calls)
        failFirstAttempts(DEFAULTS.minimumCalls(), T0);

        // then the breaker is open and defers first attempts to its end, retries one probe interval later
        assertThat(gate.state(T0)).isEqualTo(State.OPEN);
        assertThat(gate.acquire(T0, FIRST)).isEqualTo(new Permit.Defer(T0 + OPEN_FOR, "breaker-open"));
        assertThat(gate.acquire(T0, RETRY)).isEqualTo(new Permit.Defer(T0 + OPEN_FOR + PROBE_INTERVAL, "breaker-open"));
        assertThat(gate.blocked(T0 + OPEN_FOR - 1)).isTrue();
    }

    @Test
    void shouldProbeAfterTheOpenPeriodEvenWhenTheClockStepsBackAnHour() {
        // given a breaker that opened at T0
        failFirstAttempts(DEFAULTS.minimumCalls(), T0);
        long hourBack = T0 - Duration.ofHours(1).toMillis();

        // when the wall clock steps back an hour, and the open period passes on the new clock
        boolean blockedJustAfterTheStep = gate.blocked(hourBack + 1);
        State afterTheOpenPeriod = gate.state(hourBack + OPEN_FOR + 1);

        // then the breaker stayed open for its period, not for an hour more
        assertThat(blockedJustAfterTheStep).isTrue();
        assertThat(afterTheOpenPeriod).isEqualTo(State.HALF_OPEN);
        assertThat(gate.acquire(hourBack + OPEN_FOR + 1, FIRST))
                .isInstanceOfSatisfying(
                        Permit.Call.class, call -> assertThat(call.probe()).isTrue());
    }

    @Test
    void shouldKeepItsPeriodsThroughTheSmallSkewBetweenThreads() {
        // given a breaker that opened at T0 + 30 s, seen by a thread whose clock is ahead
        failFirstAttempts(DEFAULTS.minimumCalls(), T0 + 30_000);

        // when a thread 30 s behind asks at the end of the period by its clock
        // then the period is not shortened: only a step of more than a minute rebases
        assertThat(gate.blocked(T0 + OPEN_FOR)).isTrue();
        assertThat(gate.state(T0 + 30_000 + OPEN_FOR)).isEqualTo(State.HALF_OPEN);
    }

    @Test
    void shouldCountSuccessfulRetriesAsEvidenceThatTheDownstreamAnswers() {
        // given ten retries that succeeded
        for (int i = 0; i < 10; i++) {
            gate.record(call(false), Outcome.success(), T0);
        }

        // when 20 first attempts fail
        failFirstAttempts(20, T0);

        // then 20 of 30 counted calls failed: below 80 %, closed
        assertThat(gate.state(T0)).isEqualTo(State.CLOSED);
    }

    @Test
    void shouldCloseWhenMostProbesSucceedEvenIfOneEventAlwaysFails() {
        // given an open breaker, now half-open
        failFirstAttempts(20, T0);
        long halfOpen = T0 + OPEN_FOR;

        // when five probes go out: one event that always fails, four that succeed
        Permit.Call[] probes = new Permit.Call[5];
        for (int i = 0; i < 5; i++) {
            probes[i] = (Permit.Call) gate.acquire(halfOpen, i != 0 ? FIRST : RETRY);
            assertThat(probes[i].probe()).isTrue();
        }
        // no sixth call while the phase's probes are out
        assertThat(gate.acquire(halfOpen, FIRST)).isInstanceOf(Permit.Defer.class);
        assertThat(gate.blocked(halfOpen)).isTrue();
        gate.record(probes[0], Outcome.retry("always fails"), halfOpen + 10);
        assertThat(gate.state(halfOpen + 10)).isEqualTo(State.HALF_OPEN);
        for (int i = 1; i < 5; i++) {
            gate.record(probes[i], Outcome.success(), halfOpen + 20);
        }
        // the retry's failure was no evidence: its permit went back, for one more probe
        assertThat(gate.state(halfOpen + 20)).isEqualTo(State.HALF_OPEN);
        Permit.Call fifth = (Permit.Call) gate.acquire(halfOpen + 20, FIRST);
        assertThat(fifth.probe()).isTrue();
        gate.record(fifth, Outcome.success(), halfOpen + 20);

        // then the breaker closes
        assertThat(gate.state(halfOpen + 20)).isEqualTo(State.CLOSED);
        assertThat(gate.acquire(halfOpen + 20, RETRY)).isInstanceOf(Permit.Call.class);
    }

    /**
     * Probes on events that had failed before fail by their nature: on their own before the
     * outage (-1 s), or once before it opened the breaker (its failure given back as the outage's),
     * which is what the due retries after an outage mostly are (measured in the soak).
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(longs = {-1_000, 5})
    void shouldNotLetProbesOnEventsThatFailedBeforeKeepItOpen(long failedAtFromT0) {
        // given an answer, then an outage that opens the breaker
        gate.record(call(true), Outcome.success(), T0 - 2_000);
        failFirstAttempts(20, T0 + 10);
        long halfOpen = T0 + 10 + OPEN_FOR;
        long failedBefore = T0 + failedAtFromT0;

        // when, half-open, two phases' worth of probes on such events fail again
        for (int i = 0; i < 2 * DEFAULTS.probes(); i++) {
            Permit.Call probe = (Permit.Call) gate.acquire(halfOpen, failedBefore);
            assertThat(probe.probe()).isTrue();
            gate.record(probe, Outcome.retry("503, its own"), halfOpen + 5);
        }

        // then they are no evidence: the breaker stays half-open, and fresh probes that succeed close it
        assertThat(gate.state(halfOpen + 5)).isEqualTo(State.HALF_OPEN);
        for (int i = 0; i < DEFAULTS.probes(); i++) {
            gate.record((Permit.Call) gate.acquire(halfOpen + 6, FIRST), Outcome.success(), halfOpen + 7);
        }
        assertThat(gate.state(halfOpen + 7)).isEqualTo(State.CLOSED);
    }

    @Test
    void shouldCountFailedProbesOnceAPhaseHadThreeTimesItsProbesWithoutEvidence() {
        // given a half-open breaker and a downstream still down: a fresh probe fails (evidence),
        // then the other events to probe are ones that had failed before
        failFirstAttempts(20, T0);
        long halfOpen = T0 + OPEN_FOR;
        long failedBefore = halfOpen - 1_000;
        gate.record((Permit.Call) gate.acquire(halfOpen, FIRST), Outcome.retry("503"), halfOpen + 5);

        // when five times as many probes as the phase has fail
        for (int i = 0; i < 5 * DEFAULTS.probes(); i++) {
            Permit permit = gate.acquire(halfOpen, failedBefore);
            if (permit instanceof Permit.Call probe) {
                gate.record(probe, Outcome.retry("503"), halfOpen + 5);
            }
        }

        // then three phases' worth went back unjudged, the rest counted: it is open again
        assertThat(gate.state(halfOpen + 5)).isEqualTo(State.OPEN);
    }

    @Test
    void shouldCloseOnTrialWhenAPhaseFindsNoEvidenceAtAllAndReopenIfStillDown() {
        // given a half-open breaker whose only events to probe had failed before (every key waits
        // behind a retrying event, nothing fresh to probe with)
        failFirstAttempts(20, T0);
        long halfOpen = T0 + OPEN_FOR;
        long failedBefore = halfOpen - 1_000;

        // when three times the phase's probes fail on such events
        for (int i = 0; i < 3 * DEFAULTS.probes(); i++) {
            Permit.Call probe = (Permit.Call) gate.acquire(halfOpen, failedBefore);
            gate.record(probe, Outcome.retry("503"), halfOpen + 5);
        }

        // then it closes on trial: until something is answered, a failure costs no attempt
        assertThat(gate.state(halfOpen + 5)).isEqualTo(State.CLOSED);
        assertThat(gate.onTrial(halfOpen + 5)).isTrue();

        // and when the downstream is in fact still down, the retries that fail next count (nobody
        // was answered since their last failure), and it opens again within the window's minimum
        for (int i = 0; i < DEFAULTS.minimumCalls(); i++) {
            gate.record((Permit.Call) gate.acquire(halfOpen + 10, failedBefore), Outcome.retry("503"), halfOpen + 10);
        }
        assertThat(gate.state(halfOpen + 10)).isEqualTo(State.OPEN);
        assertThat(gate.outageAt(halfOpen + 10)).isTrue();
    }

    @Test
    void shouldReopenForOneProbeIntervalWhenMostProbesFail() {
        // given a half-open breaker
        failFirstAttempts(20, T0);
        long halfOpen = T0 + OPEN_FOR;

        // when four of five probes fail
        for (int i = 0; i < 5; i++) {
            Permit.Call probe = (Permit.Call) gate.acquire(halfOpen, FIRST);
            gate.record(probe, i == 0 ? Outcome.success() : Outcome.retry("503"), halfOpen + 5);
        }

        // then it is open again until one probe interval later, then half-open again
        assertThat(gate.state(halfOpen + 5)).isEqualTo(State.OPEN);
        assertThat(gate.acquire(halfOpen + 5, FIRST))
                .isEqualTo(new Permit.Defer(halfOpen + 5 + PROBE_INTERVAL, "breaker-open"));
        assertThat(gate.state(halfOpen + 5 + PROBE_INTERVAL)).isEqualTo(State.HALF_OPEN);
    }

    @Test
    void shouldGiveUpProbesThatNeverReportBack() {
        // given a half-open breaker whose probes were all given out and never answered
        failFirstAttempts(20, T0);
        long halfOpen = T0 + OPEN_FOR;
        for (int i = 0; i < 5; i++) {
            assertThat(gate.acquire(halfOpen, FIRST)).isInstanceOf(Permit.Call.class);
        }
        assertThat(gate.blocked(halfOpen + 30_000)).isTrue();

        // when a minute passes, the probes count as lost and the breaker reopens for a probe interval
        long lost = halfOpen + Duration.ofMinutes(1).toMillis();
        assertThat(gate.state(lost)).isEqualTo(State.OPEN);

        // then a new phase gives new probes
        assertThat(gate.acquire(lost + PROBE_INTERVAL, FIRST)).isEqualTo(new Permit.Call(true, 0, FIRST));
    }

    @Test
    void shouldIgnoreLateAnswersWhileOpen() {
        // given an open breaker and a call granted before it opened
        Permit.Call early = (Permit.Call) gate.acquire(T0, FIRST);
        failFirstAttempts(20, T0);

        // when the early call succeeds while open
        gate.record(early, Outcome.success(), T0 + 1);

        // then it stays open until its time
        assertThat(gate.state(T0 + 1)).isEqualTo(State.OPEN);
        assertThat(gate.state(T0 + OPEN_FOR)).isEqualTo(State.HALF_OPEN);
    }

    @Test
    void shouldKeepTheOpenPeriodAcrossALiveChangeAndCloseWhenDisabled() {
        // given an open breaker
        failFirstAttempts(20, T0);

        // when the settings change live, it stays open until the same time
        gate.update(
                new BreakerSettings(true, 100, 10, 0.5, Duration.ofMinutes(1), Duration.ofSeconds(5), 3),
                RateLimitSettings.defaults());
        assertThat(gate.state(T0 + OPEN_FOR - 1)).isEqualTo(State.OPEN);
        assertThat(gate.state(T0 + OPEN_FOR)).isEqualTo(State.HALF_OPEN);

        // and turning it off closes it at once
        gate.update(BreakerSettings.disabled(), RateLimitSettings.defaults());
        assertThat(gate.state(T0 + OPEN_FOR)).isEqualTo(State.CLOSED);
        failFirstAttempts(100, T0 + OPEN_FOR);
        assertThat(gate.state(T0 + OPEN_FOR)).isEqualTo(State.CLOSED);
    }

    @Test
    void shouldExportResilience4jStateMeters() {
        // when the breaker opens
        failFirstAttempts(20, T0);

        // then Resilience4j's binder reports the state with a state tag
        assertThat(registry.get("resilience4j.circuitbreaker.state")
                        .tag("name", "downstream")
                        .tag("state", "open")
                        .gauge()
                        .value())
                .isEqualTo(1);
        assertThat(registry.get(LadderMetrics.BREAKER_STATE).gauge().value()).isEqualTo(2);
    }

    @Test
    void shouldCountAFailureAsTheOutagesWhenALateAnswerCameFromACallSentBeforeIt() {
        // given calls in flight together: one fails at T0 + 100 as the outage begins, and a call
        // sent at T0 + 95 is answered (its answer left the downstream before the outage) and
        // recorded after that failure
        gate.record(call(true), Outcome.retry("503 outage"), T0 + 99, T0 + 100);
        gate.record(call(true), Outcome.success(), T0 + 95, T0 + 101);

        // when the failures go on and open the breaker
        failFirstAttempts(20, T0 + 110);
        assertThat(gate.state(T0 + 130)).isEqualTo(State.OPEN);

        // then the first failure is inside the outage: its attempt will be given back
        assertThat(gate.outageAt(T0 + 100)).isTrue();
    }

    @Test
    void shouldReachBackAtLeastTheGraceBeforeTheOpeningWhateverAnsweredLast() {
        // given answers until T0 + 5 (calls sent before the outage, answered late), failures from T0 + 10
        gate.record(call(true), Outcome.success(), T0 + 5);
        failFirstAttempts(20, T0 + 10);

        // then failures in the second before the opening count as the outage's
        assertThat(gate.state(T0 + 10)).isEqualTo(State.OPEN);
        assertThat(gate.outageAt(T0 + 10 - DownstreamBreaker.OUTAGE_GRACE_MILLIS))
                .isTrue();
        assertThat(gate.outageAt(T0 + 9 - DownstreamBreaker.OUTAGE_GRACE_MILLIS))
                .isFalse();
    }

    @Test
    void shouldRememberTheOutageFromTheLastAnswerUntilItCloses() {
        // given a success 10 s earlier, then failures from T0 + 10 that open the breaker
        gate.record(call(true), Outcome.success(), T0 - 10_000);
        failFirstAttempts(20, T0 + 10);

        // then the outage reaches back to just after the last answer before it
        assertThat(gate.outageAt(T0 - 10_000)).isFalse();
        assertThat(gate.outageAt(T0 - 9_999)).isTrue();
        assertThat(gate.outageAt(T0 + OPEN_FOR + 60_000)).isTrue();

        // and ends when probes close the breaker
        long halfOpen = T0 + 10 + OPEN_FOR;
        for (int i = 0; i < DEFAULTS.probes(); i++) {
            gate.record((Permit.Call) gate.acquire(halfOpen, FIRST), Outcome.success(), halfOpen + 1);
        }
        assertThat(gate.state(halfOpen + 1)).isEqualTo(State.CLOSED);
        assertThat(gate.outageAt(halfOpen)).isTrue();
        assertThat(gate.outageAt(halfOpen + 1)).isFalse();
    }

    @Test
    void shouldCountARetryFailedWithALaggingClockIntoTheOutage() {
        // given an answer stamped T0 + 100, then a retry failure whose caller's clock lags (T0 + 90)
        gate.record(call(true), Outcome.success(), T0 + 100);
        gate.record(new Permit.Call(false, 0, T0 + 50), Outcome.retry("503"), T0 + 90);

        // when first attempts fail and open the breaker
        failFirstAttempts(20, T0 + 110);

        // then that retry's failure lies in the outage, so its attempt is given back
        assertThat(gate.state(T0 + 110)).isEqualTo(State.OPEN);
        assertThat(gate.outageAt(T0 + 90)).isTrue();
    }

    private void failFirstAttempts(int calls, long now) {
        for (int i = 0; i < calls; i++) {
            gate.record(call(true), Outcome.retry("503"), now);
        }
    }

    private static Permit.Call call(boolean firstAttempt) {
        return new Permit.Call(false, 0, firstAttempt ? FIRST : RETRY);
    }
}
