package dev.ladder.downstream;

import dev.ladder.handler.Outcome;
import dev.ladder.kernel.LadderMetrics;
import dev.ladder.policy.BreakerSettings;
import dev.ladder.policy.RateLimitSettings;

/**
 * Guards the downstream shared by every task of an instance: a circuit breaker for outages and a
 * rate limit for a busy downstream. Thread-safe; all times are epoch milliseconds passed in by the
 * caller (the processor's wall clock), so it is tested without sleeping.
 *
 * <p>Protocol, per handler call: {@link #acquire} first; on {@link Permit.Call} wait its wait,
 * then wait {@link #holdMillis} more while it is not 0 (a 429 may have come back meanwhile), call
 * the handler, tell {@link #answered} the outcome as soon as it arrives (on any thread), and
 * {@link #record} it with the same permit; on {@link Permit.Defer} keep the event until then
 * without calling.
 */
public interface DownstreamGate {

    /** Breaker states, as exported in the {@code ladder_breaker_state} gauge (0, 1, 2). */
    enum State {
        CLOSED,
        HALF_OPEN,
        OPEN
    }

    /**
     * Asks to call the downstream at {@code now}.
     *
     * @param previousFailureAt when the event last failed, {@link Long#MIN_VALUE} for its first
     *     attempt (see {@link Permit.Call})
     */
    Permit acquire(long now, long previousFailureAt);

    /**
     * A call's answer has arrived, at {@code now}: a 429 pauses every call that has not started
     * yet, from this moment. Called on whatever thread the answer arrives on, before the
     * processor gets to {@link #record} it, which does not repeat this.
     */
    default void answered(Outcome outcome, long now) {}

    /**
     * How many ms more a call whose permit was granted earlier must wait before it starts at
     * {@code now}: while a 429's pause is in force, until it is over and the (reduced) rate allows
     * the call; otherwise 0. Ask again after waiting: another 429 may have come back.
     */
    default long holdMillis(long now) {
        return 0;
    }

    /** Tells the gate how a permitted call went (the breaker's evidence). */
    void record(Permit.Call permit, Outcome outcome, long now);

    /**
     * Tells the gate how a permitted call went, and when it started: with calls in flight
     * together, answers come back out of order, and a success only proves the downstream was up
     * some time after its call started.
     */
    default void record(Permit.Call permit, Outcome outcome, long startedAt, long now) {
        record(permit, outcome, now);
    }

    /** True when no call may start at {@code now} (so a punctuation need not look for due work). */
    boolean blocked(long now);

    /**
     * The breaker's state at {@code now}. A transient failure recorded while it is not CLOSED is
     * the downstream's, not the event's: the caller defers the event instead of spending an attempt.
     */
    State state(long now);

    /**
     * True when {@code time} lies in an outage the breaker saw (from the first failure that opened
     * it until it closed): a transient failure then was the downstream's, not the event's.
     */
    default boolean outageAt(long time) {
        return false;
    }

    /**
     * True while the breaker is closed on trial (a probe phase found nothing fresh to judge the
     * downstream with) and no answer has proved the downstream up since: a transient failure then
     * costs the event no attempt, as while the breaker is open.
     */
    default boolean onTrial(long now) {
        return false;
    }

    /**
     * True when the downstream may have been down since {@code time}: no call started after it was
     * answered with anything but a transient failure, and other calls failed after it. A dead
     * letter whose last failure is followed by such a silence may have met an outage the breaker
     * has not judged yet.
     */
    default boolean mayBeDownSince(long time) {
        return false;
    }

    /** Applies new settings atomically (live reload); the breaker's window is kept. */
    void update(BreakerSettings breaker, RateLimitSettings rateLimit);

    /**
     * The gate Ladder runs with: a circuit breaker and a token bucket, reporting to {@code metrics}.
     * Build one per instance and share it between the stream threads.
     */
    static DownstreamGate of(BreakerSettings breaker, RateLimitSettings rateLimit, LadderMetrics metrics) {
        return new DefaultDownstreamGate(breaker, rateLimit, metrics);
    }

    /** A gate that always says call now: no breaker, no rate limit. */
    static DownstreamGate unlimited() {
        return new DownstreamGate() {
            @Override
            public Permit acquire(long now, long previousFailureAt) {
                return new Permit.Call(false, 0, previousFailureAt);
            }

            @Override
            public void record(Permit.Call permit, Outcome outcome, long now) {}

            @Override
            public boolean blocked(long now) {
                return false;
            }

            @Override
            public State state(long now) {
                return State.CLOSED;
            }

            @Override
            public void update(BreakerSettings breaker, RateLimitSettings rateLimit) {}
        };
    }
}
