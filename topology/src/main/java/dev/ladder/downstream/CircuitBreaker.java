package dev.ladder.downstream;

import dev.ladder.downstream.DownstreamGate.State;
import dev.ladder.handler.Outcome;

/**
 * A count-based circuit breaker over the last {@link BreakerSettings#window()} calls. Thread-safe;
 * times are epoch milliseconds passed in, and the open → half-open step happens lazily in whichever
 * call first sees the time has come.
 *
 * <ul>
 *   <li>CLOSED → OPEN once the window holds at least {@code minimumCalls} results and the share of
 *       transient failures reaches the threshold. Only {@link Outcome.Transient} counts as a
 *       failure: a permanent failure is an answer, so the downstream is up.
 *   <li>OPEN → HALF_OPEN after {@code openFor}: one probe at a time, the first at once.
 *   <li>A probe answered with anything but a transient failure closes the breaker with an empty
 *       window; a transient failure opens it again from now, this time for {@code probeInterval},
 *       so a down downstream sees no calls for {@code openFor}, then one probe every
 *       {@code probeInterval} until one succeeds (as {@link BreakerSettings} promises).
 * </ul>
 *
 * <p>While OPEN or HALF_OPEN only probe results count; late results of calls granted before the
 * breaker opened are ignored. A probe never recorded (its task closed mid-call) is given up after
 * {@code max(probeInterval, openFor)}, so a lost probe cannot wedge the breaker half-open.
 */
public final class CircuitBreaker {

    /** Told of every state change, inside the breaker's lock. */
    @FunctionalInterface
    public interface Listener {
        void onTransition(State from, State to, double failureRate, long now);
    }

    private final Listener listener;
    private BreakerSettings settings;
    private OutcomeWindow window;
    private State state = State.CLOSED;
    private long openUntil;
    private long nextProbeAt;
    private boolean probeInFlight;
    private long probeGrantedAt;
    private long lastSeen = Long.MIN_VALUE;

    public CircuitBreaker(BreakerSettings settings, Listener listener) {
        this.settings = settings;
        this.listener = listener;
        this.window = new OutcomeWindow(settings.window());
    }

    /** The state at {@code now}; always CLOSED when the breaker is disabled. */
    public synchronized State state(long now) {
        advance(now);
        return state;
    }

    /** True when a call may start now: CLOSED, or HALF_OPEN with a probe available. */
    public synchronized boolean callAllowed(long now) {
        advance(now);
        return state == State.CLOSED || state == State.HALF_OPEN && probeAvailable(now);
    }

    /** Takes the half-open probe if one is available at {@code now}. */
    public synchronized boolean tryAcquireProbe(long now) {
        advance(now);
        if (state != State.HALF_OPEN || !probeAvailable(now)) {
            return false;
        }
        probeInFlight = true;
        probeGrantedAt = now;
        nextProbeAt = now + settings.probeInterval().toMillis();
        return true;
    }

    /** When the next call (a probe) may start; {@code now} when CLOSED. */
    public synchronized long nextCallAt(long now) {
        advance(now);
        return switch (state) {
            case CLOSED -> now;
            case OPEN -> openUntil;
            case HALF_OPEN -> probeInFlight ? Math.max(nextProbeAt, probeGrantedAt + lostProbeAfter()) : nextProbeAt;
        };
    }

    /** Feeds a call's outcome; {@code probe} as in the permit it was made with. */
    public synchronized void record(boolean probe, Outcome outcome, long now) {
        advance(now);
        if (!settings.enabled()) {
            return;
        }
        boolean failure = outcome instanceof Outcome.Transient;
        switch (state) {
            case CLOSED -> {
                window.add(failure);
                if (window.count() >= settings.minimumCalls()
                        && window.failureRate() >= settings.failureRateThreshold()) {
                    open(now, settings.openFor().toMillis());
                }
            }
            case HALF_OPEN -> {
                if (!probe) {
                    return;
                }
                probeInFlight = false;
                if (failure) {
                    open(now, settings.probeInterval().toMillis());
                } else {
                    window.clear();
                    transition(State.CLOSED, now);
                }
            }
            case OPEN -> {
                // a late result of a call granted before the breaker opened: the window restarts on close
            }
        }
    }

    /** Swaps the settings, keeping the state and the newest results of the window. */
    public synchronized void update(BreakerSettings next) {
        this.settings = next;
        if (window.size() != Math.max(1, next.window())) {
            window = window.resized(next.window());
        }
        if (!next.enabled() && state != State.CLOSED) {
            window.clear();
            probeInFlight = false;
            transition(State.CLOSED, lastSeen);
        }
    }

    /** Share of transient failures in the window right now. */
    public synchronized double failureRate() {
        return window.failureRate();
    }

    private void advance(long now) {
        lastSeen = Math.max(lastSeen, now);
        if (state == State.OPEN && settings.enabled() && now >= openUntil) {
            nextProbeAt = openUntil;
            probeInFlight = false;
            transition(State.HALF_OPEN, now);
        }
    }

    private boolean probeAvailable(long now) {
        boolean inFlight = probeInFlight && now < probeGrantedAt + lostProbeAfter();
        return !inFlight && now >= nextProbeAt;
    }

    private long lostProbeAfter() {
        return Math.max(settings.probeInterval().toMillis(), settings.openFor().toMillis());
    }

    private void open(long now, long millis) {
        openUntil = now + millis;
        probeInFlight = false;
        transition(State.OPEN, now);
    }

    private void transition(State to, long now) {
        State from = state;
        state = to;
        listener.onTransition(from, to, window.failureRate(), now);
    }
}
