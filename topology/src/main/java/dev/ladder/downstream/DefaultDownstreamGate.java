package dev.ladder.downstream;

import dev.ladder.handler.Outcome;
import dev.ladder.kernel.LadderMetrics;
import dev.ladder.policy.BreakerSettings;
import dev.ladder.policy.RateLimitSettings;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate Ladder runs with: a {@link DownstreamBreaker} (Resilience4j's circuit breaker, fed only
 * with evidence about the downstream) in front of a {@link TokenBucket}. One per instance, shared
 * by every stream thread; one lock makes each acquire and record atomic (they are a few arithmetic
 * steps, the caller sleeps any wait outside it).
 *
 * <p>Order of questions in {@link #acquire}: breaker open → defer to the next probe phase;
 * half-open → a probe if one of the phase's probes is free, else defer; a 429 pause → defer to its
 * end; otherwise the bucket, whose wait the caller sleeps when it is at most
 * {@value #MAX_CALL_WAIT_MILLIS} ms, and which defers (without taking the token) when longer.
 * Probes skip the bucket: there are only a few per phase.
 *
 * <p>Fresh events probe first: a retry deferred by the breaker is due one probe interval after the
 * first attempts deferred with it, so the probes of the next half-open phase are mostly first
 * attempts, whose answers say the most about the downstream.
 */
public final class DefaultDownstreamGate implements DownstreamGate {

    /** Longest rate-limit wait a caller sleeps through; beyond it the call is deferred. */
    static final long MAX_CALL_WAIT_MILLIS = 1000;
    /** Pause after a 429 that gave no Retry-After. */
    static final long DEFAULT_PAUSE_MILLIS = 1000;

    private static final Logger log = LoggerFactory.getLogger(DefaultDownstreamGate.class);
    private static final int TOO_MANY_REQUESTS = 429;

    private final LadderMetrics metrics;
    private final DownstreamBreaker breaker;
    private final TokenBucket bucket;
    private BreakerSettings breakerSettings;
    private RateLimitSettings rateLimit;

    public DefaultDownstreamGate(BreakerSettings breaker, RateLimitSettings rateLimit, LadderMetrics metrics) {
        this.metrics = metrics;
        this.breakerSettings = breaker;
        this.rateLimit = rateLimit;
        this.bucket = new TokenBucket(rateLimit.callsPerSecond());
        this.breaker = new DownstreamBreaker(breaker, this::onTransition);
        // resilience4j_circuitbreaker_state{name="downstream",state=...} and friends, beside ladder_breaker_state
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(this.breaker.registry())
                .bindTo(metrics.registry());
    }

    @Override
    public synchronized Permit acquire(long now, long previousFailureAt) {
        boolean firstAttempt = previousFailureAt == Long.MIN_VALUE;
        Boolean probe = breaker.tryAcquire(now);
        if (probe == null) {
            long until = breaker.nextCallAt(now);
            // fresh events first: their answers are the evidence the next probe phase needs
            return defer(
                    firstAttempt
                            ? until
                            : until + breakerSettings.probeInterval().toMillis(),
                    "breaker-open");
        }
        if (probe) {
            return new Permit.Call(true, 0, previousFailureAt);
        }
        if (bucket.paused(now)) {
            return defer(bucket.pausedUntil(), "throttled");
        }
        long wait = bucket.tryReserve(now, MAX_CALL_WAIT_MILLIS);
        return wait <= MAX_CALL_WAIT_MILLIS
                ? new Permit.Call(false, wait, previousFailureAt)
                : defer(now + wait, "rate-limited");
    }

    @Override
    public synchronized void record(Permit.Call permit, Outcome outcome, long now) {
        record(permit, outcome, now, now);
    }

    @Override
    public synchronized void record(Permit.Call permit, Outcome outcome, long startedAt, long now) {
        breaker.record(permit.probe(), permit.previousFailureAt(), outcome, Math.min(startedAt, now), now);
    }

    @Override
    public synchronized void answered(Outcome outcome, long now) {
        if (rateLimit.adaptive()
                && outcome instanceof Outcome.Transient failure
                && failure.httpStatus() != null
                && failure.httpStatus() == TOO_MANY_REQUESTS) {
            long until = failure.notBefore() != null ? failure.notBefore().toEpochMilli() : now + DEFAULT_PAUSE_MILLIS;
            bucket.pauseUntil(now, until);
            if (bucket.throttled(now)) {
                log.info(
                        "Downstream answered 429: every call paused for {} ms, then at most {} calls/s",
                        Math.max(0, until - now),
                        rateText(bucket.rate(Math.max(now, until))));
            }
        }
    }

    @Override
    public synchronized long holdMillis(long now) {
        // a fresh token: the one taken with the permit was for a rate the 429 has since halved
        return bucket.paused(now) ? Math.max(1, bucket.reserve(now)) : 0;
    }

    @Override
    public synchronized boolean blocked(long now) {
        return breaker.blocked(now) || bucket.paused(now);
    }

    @Override
    public synchronized boolean outageAt(long time) {
        return breaker.outageAt(time);
    }

    @Override
    public synchronized boolean onTrial(long now) {
        return breaker.onTrial(now);
    }

    @Override
    public synchronized boolean mayBeDownSince(long time) {
        return breaker.mayBeDownSince(time);
    }

    @Override
    public synchronized State state(long now) {
        return breaker.state(now);
    }

    @Override
    public synchronized void update(BreakerSettings breaker, RateLimitSettings rateLimit) {
        this.breakerSettings = breaker;
        this.rateLimit = rateLimit;
        this.bucket.update(rateLimit.callsPerSecond());
        this.breaker.update(breaker);
    }

    /** Called by the breaker, inside its lock and this gate's. */
    private void onTransition(State from, State to, double failureRate, long now) {
        metrics.breakerTransition(tag(to), to.ordinal());
        String rate = String.format(Locale.ROOT, "%.0f %%", failureRate * 100);
        if (to == State.OPEN && from == State.HALF_OPEN) {
            log.info(
                    "Circuit breaker open again: the probes failed ({}); next probes in {}",
                    rate,
                    breakerSettings.probeInterval());
        } else if (to == State.OPEN) {
            log.warn(
                    "Circuit breaker open: {} of recent first attempts (window {}) failed transiently; first probes in {}",
                    rate,
                    breakerSettings.window(),
                    breakerSettings.openFor());
        } else if (to == State.HALF_OPEN) {
            log.info("Circuit breaker half-open: up to {} probe calls", breakerSettings.probes());
        } else {
            bucket.slowStart(now, rateLimit.drainRate());
            log.info("Circuit breaker closed (was {}): draining from {} calls/s", from, rateText(bucket.rate(now)));
        }
    }

    private Permit.Defer defer(long until, String reason) {
        metrics.deferral(reason);
        return new Permit.Defer(until, reason);
    }

    private static String tag(State state) {
        return state.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String rateText(double rate) {
        return Double.isInfinite(rate) ? "unlimited" : String.format(Locale.ROOT, "%.1f", rate);
    }
}
