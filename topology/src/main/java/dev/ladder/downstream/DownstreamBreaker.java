package dev.ladder.downstream;

import dev.ladder.downstream.DownstreamGate.State;
import dev.ladder.handler.Outcome;
import dev.ladder.policy.BreakerSettings;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerOnStateTransitionEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

/**
 * The circuit breaker of the {@link DefaultDownstreamGate}: Resilience4j's state machine and
 * count-based sliding window, fed only with evidence about the downstream (see
 * {@link BreakerSettings}) and driven by the time its caller passes in. Not thread-safe: the gate
 * calls it under its own lock.
 *
 * <p>What Ladder adds around Resilience4j, and why:
 *
 * <ul>
 *   <li>Evidence only: a retried event that fails transiently again while the downstream has
 *       answered other calls since the event last failed is not recorded, so a downstream that
 *       answers most first attempts can never be judged down by retry traffic. When nobody was
 *       answered since, the failure counts: with few keys in flight an outage shows only in retries.
 *   <li>Half-open, a failed probe on an event that had failed before is no evidence either: its
 *       permit goes back for another probe, at most {@value #MAX_UNJUDGED_PER_PROBE} × {@code
 *       probes} times per phase (then failures count), so events that fail by their nature cannot
 *       keep the breaker open and a downstream still down is not flooded with probes. A phase that
 *       reaches that bound with no evidence at all closes on trial (nothing fresh is left to probe
 *       with); the closed state's rules open it again quickly if the downstream is still down.
 *   <li>Time is the processor's wall clock (mockable in TopologyTestDriver), handed to Resilience4j
 *       through a settable {@link Clock}; OPEN → HALF_OPEN happens when a caller sees the time has
 *       come, no scheduler thread.
 *   <li>Open for {@code openFor} the first time and {@code probeInterval} after failed probes
 *       (Resilience4j's wait-interval function, by the number of consecutive opens).
 *   <li>Probes that never report back (their task was closed mid-call) are given up after
 *       {@link #lostProbeAfter()}, so the breaker cannot stay half-open for ever.
 * </ul>
 */
final class DownstreamBreaker {

    /** Told of every change of the state Ladder reports (disabled counts as closed). */
    @FunctionalInterface
    interface Listener {
        void onTransition(State from, State to, double failureRate, long now);
    }

    /** The name of the breaker in Resilience4j's registry and metrics. */
    static final String NAME = "downstream";

    private static final Throwable TRANSIENT_FAILURE = new TransientFailure();
    /** Outage periods remembered for refunds; older ones are forgotten. */
    private static final int MAX_OUTAGES = 64;
    /**
     * A caller's time this far behind the latest one seen is a step back of the wall clock, not
     * the little skew between threads.
     */
    static final long STEP_BACK_MILLIS = Duration.ofMinutes(1).toMillis();
    /** How far back before the opening an outage may reach when the last answer is older. */
    private static final long MAX_OUTAGE_LOOKBACK_MILLIS = Duration.ofMinutes(5).toMillis();
    /**
     * How far back before the opening an outage always reaches. With many calls in flight, answers
     * from before an outage keep arriving (and proving the downstream up) after its first failures;
     * measured in the soak (20,000 events, 64 in flight), failures a few milliseconds into an
     * outage were otherwise not given back. The price: an event's own failure in the second
     * before an opening gets its attempt back too.
     */
    static final long OUTAGE_GRACE_MILLIS = Duration.ofSeconds(1).toMillis();
    /** Failed probes per probe of a phase that may be found no evidence before failures count. */
    static final int MAX_UNJUDGED_PER_PROBE = 3;

    private final SettableClock clock = new SettableClock();
    private final CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
    private final Listener listener;
    private BreakerSettings settings;
    private CircuitBreaker breaker;
    private long openUntil;
    private long halfOpenSince;
    private int probesOut;
    private int probesGranted;
    /** Failed probes of this half-open phase that were no evidence (their permits went back). */
    private int unjudged;
    /** Probes of this half-open phase recorded as evidence (either way). */
    private int judged;
    /** Closed on trial (set after the transition), and no answer has proved the downstream up since. */
    private boolean trial;

    private boolean restoring;
    /** When the run of counted failures since the last counted success began; MIN_VALUE: none. */
    private long failingSince = Long.MIN_VALUE;
    /** When a transient failure was last recorded; MIN_VALUE: never. */
    private long lastFailureAt = Long.MIN_VALUE;
    /** When the downstream last gave an answer that was not a transient failure; MIN_VALUE: never. */
    private long lastAnswerAt = Long.MIN_VALUE;
    /** Recent outages as [from, to) pairs, oldest first; the last one may still be open (to = MAX). */
    private final java.util.ArrayDeque<long[]> outages = new java.util.ArrayDeque<>();

    DownstreamBreaker(BreakerSettings settings, Listener listener) {
        this.settings = settings;
        this.listener = listener;
        this.breaker = build(settings);
    }

    /** The registry holding the breaker, for Resilience4j's Micrometer binder. */
    CircuitBreakerRegistry registry() {
        return registry;
    }

    /** The state at {@code now}; CLOSED when disabled. */
    State state(long now) {
        advance(now);
        return map(breaker.getState());
    }

    /**
     * Asks for a call at {@code now}: answers null when none may start, else whether it is a
     * half-open probe.
     */
    Boolean tryAcquire(long now) {
        advance(now);
        boolean halfOpen = breaker.getState() == CircuitBreaker.State.HALF_OPEN;
        if (!breaker.tryAcquirePermission()) {
            return null;
        }
        if (halfOpen) {
            probesOut++;
            probesGranted++;
        }
        return halfOpen;
    }

    /** True when no call may start at {@code now}: open, or half-open with every probe given out. */
    boolean blocked(long now) {
        advance(now);
        return switch (breaker.getState()) {
            case OPEN, FORCED_OPEN -> true;
            case HALF_OPEN -> probesGranted >= settings.probes();
            default -> false;
        };
    }

    /** When a call may next start: the end of the open period, or the next probe phase. */
    long nextCallAt(long now) {
        advance(now);
        return switch (map(breaker.getState())) {
            case CLOSED -> now;
            case OPEN -> openUntil;
            case HALF_OPEN -> now + settings.probeInterval().toMillis();
        };
    }

    /**
     * Feeds the answer to a call.
     *
     * @param probe whether the call was a half-open probe
     * @param previousFailureAt when the event failed before, {@link Long#MIN_VALUE} for a first attempt
     * @param startedAt when the call started: with calls in flight together, answers arrive out of
     *     order, and an answer only proves the downstream was up after its call started
     */
    void record(boolean probe, long previousFailureAt, Outcome outcome, long startedAt, long now) {
        advance(now);
        if (probe && probesOut > 0) {
            probesOut--;
        }
        boolean failure = outcome instanceof Outcome.Transient;
        if (!failure) {
            trial = false;
            // the last moment the downstream is known to have been up: the call's start, as the
            // answer may have been given before failures that were recorded earlier
            lastAnswerAt = Math.max(lastAnswerAt, startedAt);
            if (failingSince != Long.MIN_VALUE && startedAt >= failingSince) {
                // a call sent after the failures began was answered: they were no outage
                failingSince = Long.MIN_VALUE;
            }
        } else {
            lastFailureAt = Math.max(lastFailureAt, now);
        }
        if (failure && breaker.getState() != CircuitBreaker.State.OPEN) {
            // every failure since the last answer, counted or not, marks where an outage may have
            // begun; the minimum, because callers' clocks can lag each other by a little
            failingSince = failingSince == Long.MIN_VALUE ? now : Math.min(failingSince, now);
        }
        if (!settings.enabled() || breaker.getState() == CircuitBreaker.State.OPEN) {
            // open: a late answer to a call granted before; the probes will judge the downstream
            return;
        }
        if (probe
                && failure
                && breaker.getState() == CircuitBreaker.State.HALF_OPEN
                && previousFailureAt != Long.MIN_VALUE
                && (unjudged < MAX_UNJUDGED_PER_PROBE * settings.probes() || judged == 0)) {
            // a failed probe on an event that had failed before is no evidence: retried events
            // fail by their nature, and after an outage the due retries are mostly such events
            // (measured in the 20,000-event soak: every phase's five probes were events answering
            // 503 by plan, and delivery stalled for minutes). Its permit goes back for another
            // probe; a success, or a first attempt's failure, is what judges the downstream.
            breaker.releasePermission();
            probesGranted = Math.max(0, probesGranted - 1);
            unjudged++;
            if (unjudged >= MAX_UNJUDGED_PER_PROBE * settings.probes() && judged == 0) {
                // a whole phase's bound of such probes and no evidence at all: there is nothing
                // fresh left to probe with (every key waits behind a retrying event). Close on
                // trial: if the downstream is still down, the retries that fail next count (nobody
                // was answered since their last failure), it opens again within the window's
                // minimum, and the attempts that costs are given back as the outage's
                // (measured in the soak: without this, delivery came back 36 s after the outage)
                breaker.transitionToClosedState();
                trial = true;
            }
            return;
        }
        if (probe && breaker.getState() == CircuitBreaker.State.HALF_OPEN) {
            judged++;
        }
        if (failure && !probe && previousFailureAt != Long.MIN_VALUE && lastAnswerAt >= previousFailureAt) {
            // a retried event failing again while the downstream answers others is what retried
            // events do: no evidence. (Had nobody been answered since its last failure, it would be.)
            return;
        }
        if (failure) {
            breaker.onError(0, TimeUnit.MILLISECONDS, TRANSIENT_FAILURE);
        } else {
            breaker.onSuccess(0, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * True when {@code time} lies in an outage this breaker saw: from just after the last answer
     * before it opened (at most five minutes back) until it closed again. A transient failure at such a time was the downstream's, so
     * the event it cost an attempt gets that attempt back (the calls that opened the breaker are
     * made before anyone can know). Remembered in memory for the last {@value #MAX_OUTAGES} outages.
     */
    boolean outageAt(long time) {
        for (long[] outage : outages) {
            if (time >= outage[0] && time < outage[1]) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when a call started at or after {@code time} was answered with something other than a
     * transient failure (always true while the breaker is disabled: nothing waits on it then).
     */
    private boolean answeredSince(long time) {
        return !settings.enabled() || (lastAnswerAt != Long.MIN_VALUE && lastAnswerAt >= time);
    }

    /**
     * True when the downstream may have been down since {@code time}: nothing was answered since,
     * and other calls failed after it (false while the breaker is disabled).
     */
    boolean mayBeDownSince(long time) {
        return !answeredSince(time) && lastFailureAt > time;
    }

    /**
     * True while closed on trial and nothing has been answered since: a transient failure then is
     * taken as the outage's (the caller defers the event without spending an attempt), while it
     * still counts toward opening again.
     */
    boolean onTrial(long now) {
        advance(now);
        return trial && breaker.getState() == CircuitBreaker.State.CLOSED;
    }

    /** Share of transient failures among the counted calls in the window, 0 before the minimum. */
    double failureRate() {
        float rate = breaker.getMetrics().getFailureRate();
        return rate < 0 ? 0 : rate / 100.0;
    }

    /** Swaps the settings: a fresh window, the same state (and the same end of an open period). */
    void update(BreakerSettings next) {
        if (next.equals(settings)) {
            return;
        }
        State was = map(breaker.getState());
        long until = openUntil;
        settings = next;
        restoring = true;
        try {
            breaker = build(next);
            if (next.enabled() && was == State.OPEN) {
                breaker.transitionToOpenState();
                openUntil = until;
            } else if (next.enabled() && was == State.HALF_OPEN) {
                breaker.transitionToHalfOpenState();
            }
        } finally {
            restoring = false;
        }
        if (was != State.CLOSED && !next.enabled()) {
            listener.onTransition(was, State.CLOSED, 0, clock.millis());
        }
    }

    private CircuitBreaker build(BreakerSettings s) {
        long firstOpen = s.openFor().toMillis();
        long reopen = s.probeInterval().toMillis();
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindow(s.window(), s.minimumCalls(), SlidingWindowType.COUNT_BASED)
                .failureRateThreshold((float) (s.failureRateThreshold() * 100))
                .permittedNumberOfCallsInHalfOpenState(s.probes())
                .waitIntervalFunctionInOpenState(opens -> opens <= 1 ? firstOpen : reopen)
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .clock(clock)
                .build();
        CircuitBreaker cb;
        if (registry.find(NAME).isPresent()) {
            cb = CircuitBreaker.of(NAME, config);
            registry.replace(NAME, cb);
        } else {
            cb = registry.circuitBreaker(NAME, config);
        }
        cb.getEventPublisher().onStateTransition(this::onTransition);
        if (!s.enabled()) {
            cb.transitionToDisabledState();
        }
        return cb;
    }

    private void advance(long time) {
        if (clock.started() && time < clock.millis() - STEP_BACK_MILLIS) {
            rebase(clock.millis() - time);
        }
        clock.advanceTo(time);
        long now = clock.millis();
        CircuitBreaker.State state = breaker.getState();
        if (state == CircuitBreaker.State.OPEN && now >= openUntil) {
            breaker.transitionToHalfOpenState();
        } else if (state == CircuitBreaker.State.HALF_OPEN
                && probesOut > 0
                && now >= halfOpenSince + lostProbeAfter()) {
            // probes granted long ago never reported back (their task closed mid-call)
            probesOut = 0;
            breaker.transitionToOpenState();
        }
    }

    /**
     * The callers' clock stepped back: every time kept here moves back as far, so that an open
     * period, a half-open phase and an outage keep their length instead of lasting until the clock
     * catches up again (the clock below never goes back, for Resilience4j's sake).
     */
    private void rebase(long shift) {
        openUntil -= shift;
        halfOpenSince -= shift;
        if (lastAnswerAt != Long.MIN_VALUE) {
            lastAnswerAt -= shift;
        }
        if (failingSince != Long.MIN_VALUE) {
            failingSince -= shift;
        }
        if (lastFailureAt != Long.MIN_VALUE) {
            lastFailureAt -= shift;
        }
        for (long[] outage : outages) {
            outage[0] -= shift;
            if (outage[1] != Long.MAX_VALUE) {
                outage[1] -= shift;
            }
        }
        clock.rewind(shift);
    }

    /** How long probes may stay out before they count as lost. */
    private long lostProbeAfter() {
        long phase =
                Math.max(settings.probeInterval().toMillis(), settings.openFor().toMillis());
        return Math.max(Duration.ofMinutes(1).toMillis(), 2 * phase);
    }

    private void onTransition(CircuitBreakerOnStateTransitionEvent event) {
        long now = clock.millis();
        CircuitBreaker.State from = event.getStateTransition().getFromState();
        CircuitBreaker.State to = event.getStateTransition().getToState();
        if (to == CircuitBreaker.State.OPEN && from == CircuitBreaker.State.CLOSED) {
            if (outages.size() == MAX_OUTAGES) {
                outages.removeFirst();
            }
            // everything that failed since the downstream last answered was the outage's doing (within reason)
            long since = Math.max(lastAnswerAt + 1, now - MAX_OUTAGE_LOOKBACK_MILLIS);
            if (failingSince != Long.MIN_VALUE) {
                since = Math.min(since, failingSince);
            }
            since = Math.min(since, now - OUTAGE_GRACE_MILLIS);
            outages.addLast(new long[] {since, Long.MAX_VALUE});
        } else if (map(to) == State.CLOSED && !outages.isEmpty() && outages.getLast()[1] == Long.MAX_VALUE) {
            outages.getLast()[1] = now;
        }
        if (to != CircuitBreaker.State.HALF_OPEN) {
            failingSince = Long.MIN_VALUE;
        }
        if (to == CircuitBreaker.State.OPEN) {
            openUntil = now
                    + (from == CircuitBreaker.State.HALF_OPEN ? settings.probeInterval() : settings.openFor())
                            .toMillis();
        } else if (to == CircuitBreaker.State.HALF_OPEN) {
            halfOpenSince = now;
            probesOut = 0;
            probesGranted = 0;
            unjudged = 0;
            judged = 0;
        }
        if (!restoring && map(from) != map(to)) {
            // a trial close that fails is reported as the probe phase it continued
            State reportedFrom = trial && to == CircuitBreaker.State.OPEN ? State.HALF_OPEN : map(from);
            listener.onTransition(reportedFrom, map(to), failureRate(), now);
        }
        if (to != CircuitBreaker.State.CLOSED) {
            // a trial is one closed period: whatever comes next is judged afresh
            trial = false;
        }
    }

    private static State map(CircuitBreaker.State state) {
        return switch (state) {
            case OPEN, FORCED_OPEN -> State.OPEN;
            case HALF_OPEN -> State.HALF_OPEN;
            default -> State.CLOSED;
        };
    }

    /** What a transient failure is recorded as; no stack trace, it is a marker. */
    private static final class TransientFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TransientFailure() {
            super("transient failure", null, false, false);
        }
    }

    /**
     * The caller's wall clock; it never goes back by itself, so Resilience4j's periods never
     * shrink; only {@link #rebase} moves it back, together with every time the breaker keeps.
     */
    private static final class SettableClock extends Clock {
        private long millis = Long.MIN_VALUE;

        void advanceTo(long now) {
            millis = Math.max(millis, now);
        }

        boolean started() {
            return millis != Long.MIN_VALUE;
        }

        void rewind(long shift) {
            millis -= shift;
        }

        @Override
        public long millis() {
            return millis == Long.MIN_VALUE ? 0 : millis;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis());
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }
}
