package dev.ladder.downstream;

import dev.ladder.downstream.DownstreamGate.State;
import dev.ladder.handler.Outcome;
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
 *   <li>Evidence only: a retried event that fails transiently again is not recorded, so a
 *       downstream that answers most first attempts can never be judged down by retry traffic.
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

    private final SettableClock clock = new SettableClock();
    private final CircuitBreakerRegistry registry = CircuitBreakerRegistry.ofDefaults();
    private final Listener listener;
    private BreakerSettings settings;
    private CircuitBreaker breaker;
    private long openUntil;
    private long halfOpenSince;
    private int probesOut;
    private int probesGranted;
    private boolean restoring;

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
     * @param firstAttempt whether it was the event's first attempt
     */
    void record(boolean probe, boolean firstAttempt, Outcome outcome, long now) {
        advance(now);
        if (probe && probesOut > 0) {
            probesOut--;
        }
        if (!settings.enabled() || breaker.getState() == CircuitBreaker.State.OPEN) {
            // open: a late answer to a call granted before; the probes will judge the downstream
            return;
        }
        boolean failure = outcome instanceof Outcome.Transient;
        if (failure && !firstAttempt && !probe) {
            // a retried event failing again is what retried events do: no evidence either way
            return;
        }
        if (failure) {
            breaker.onError(0, TimeUnit.MILLISECONDS, TRANSIENT_FAILURE);
        } else {
            breaker.onSuccess(0, TimeUnit.MILLISECONDS);
        }
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
        if (to == CircuitBreaker.State.OPEN) {
            openUntil = now
                    + (from == CircuitBreaker.State.HALF_OPEN ? settings.probeInterval() : settings.openFor())
                            .toMillis();
        } else if (to == CircuitBreaker.State.HALF_OPEN) {
            halfOpenSince = now;
            probesOut = 0;
            probesGranted = 0;
        }
        if (!restoring && map(from) != map(to)) {
            listener.onTransition(map(from), map(to), failureRate(), now);
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

    /** The caller's wall clock; it never goes back, so Resilience4j's periods never shrink. */
    private static final class SettableClock extends Clock {
        private long millis = Long.MIN_VALUE;

        void advanceTo(long now) {
            millis = Math.max(millis, now);
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
