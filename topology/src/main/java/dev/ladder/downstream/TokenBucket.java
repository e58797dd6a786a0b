package dev.ladder.downstream;

/**
 * A token bucket that paces calls to the downstream, with an adaptive current rate. Thread-safe;
 * times are epoch milliseconds passed in. It is Ladder's one token bucket: the engine's gate paces
 * handler calls with it, and {@code ladder dlt replay} paces the records it sends.
 *
 * <p>The bucket holds up to {@code max(1, rate x burst)} tokens (by default one second of burst,
 * see {@link #TokenBucket(double, double)}), starts full, and refills
 * continuously. {@link #reserve} takes a token even when none is left yet and answers how long the
 * caller must wait for it, so concurrent callers queue in the order they asked. A cap of 0 means no
 * cap: every reserve answers 0 unless a pause or a ramp is in force.
 *
 * <p>The current rate is the cap, unless one of two ramps runs:
 *
 * <ul>
 *   <li>{@link #slowStart}: from the drain rate, doubling each whole second up to the cap; with no
 *       cap, after {@value #MAX_DOUBLINGS} doublings the limit is lifted.
 *   <li>{@link #throttled} (a 429): half the current rate (floor 1/s), then +10 % of the cap each
 *       whole second back to it, counted from the end of the pause. With no cap there is no rate to
 *       halve, so half the measured call rate of the last second is used and it doubles back as in a
 *       slow start: resuming at full speed after a 429 would only earn the next 429. Several 429s
 *       within a second are one overload answered by several in-flight calls: they halve once.
 * </ul>
 *
 * <p>During a {@link #pauseUntil pause} every reserve waits until its end, and no tokens build up,
 * so the pause does not end in a burst.
 */
public final class TokenBucket {

    /** Doublings after which a slow start without a cap lifts the limit. */
    static final int MAX_DOUBLINGS = 10;

    private static final double UNLIMITED = Double.POSITIVE_INFINITY;
    /** A time this far behind the latest one seen is a step back of the wall clock, not thread skew. */
    private static final long STEP_BACK_MILLIS = 60_000;

    private enum Ramp {
        NONE,
        SLOW_START,
        RECOVERY
    }

    private final double burstSeconds;
    private double cap;
    private Ramp ramp = Ramp.NONE;
    private double rampFrom;
    private long rampStart;
    private double tokens;
    private long refilledAt = Long.MIN_VALUE;
    private long pausedUntil;
    private long lastHalvedAt = Long.MIN_VALUE;
    private long second = Long.MIN_VALUE;
    private int callsThisSecond;
    private int callsLastSecond;
    private long latest = Long.MIN_VALUE;

    /** A bucket capped at {@code callsPerSecond}, 0 for no cap, with one second of burst. */
    public TokenBucket(double callsPerSecond) {
        this(callsPerSecond, 1);
    }

    /**
     * A bucket capped at {@code callsPerSecond}, 0 for no cap, holding {@code burstSeconds} of the
     * rate (at least one token). A smaller burst keeps the rate over shorter windows: a tenth of a
     * second holds it over any window of a second or more within 10 %.
     *
     * @throws IllegalArgumentException when {@code burstSeconds} is not positive
     */
    public TokenBucket(double callsPerSecond, double burstSeconds) {
        if (!(burstSeconds > 0)) {
            throw new IllegalArgumentException("burstSeconds must be > 0, not " + burstSeconds);
        }
        this.burstSeconds = burstSeconds;
        this.cap = Math.max(0, callsPerSecond);
        this.tokens = capacity(limit());
    }

    /** Reserves a token and answers the wait in ms until the caller may call. */
    public synchronized long reserve(long now) {
        return tryReserve(now, Long.MAX_VALUE);
    }

    /**
     * Reserves a token if the wait for it is at most {@code maxWaitMillis}; answers the wait either
     * way, so a caller that would wait longer can come back then without holding a token.
     */
    public synchronized long tryReserve(long now, long maxWaitMillis) {
        stepBack(now);
        advance(now);
        long pauseWait = Math.max(0, pausedUntil - now);
        double rate = rateAt(Math.max(now, refilledAt));
        if (rate == UNLIMITED) {
            if (pauseWait <= maxWaitMillis) {
                countCall(now);
            }
            return pauseWait;
        }
        double left = tokens - 1;
        long wait = Math.max(0, refilledAt - now);
        if (left < 0) {
            wait += (long) Math.ceil(-left * 1000 / rate);
        }
        wait = Math.max(wait, pauseWait);
        if (wait <= maxWaitMillis) {
            tokens = left;
            countCall(now);
        }
        return wait;
    }

    /** Calls per second allowed at {@code now} (a read: it moves nothing); infinite when unlimited. */
    public synchronized double rate(long now) {
        return rateAt(now);
    }

    /** From {@code now}, makes every reserve wait until {@code untilMillis} (a 429's Retry-After). */
    public synchronized void pauseUntil(long now, long untilMillis) {
        stepBack(now);
        advance(now);
        if (untilMillis <= pausedUntil) {
            return;
        }
        pausedUntil = untilMillis;
        if (pausedUntil > refilledAt) {
            // nothing builds up while paused, so the pause does not end in a burst
            refilledAt = pausedUntil;
            tokens = Math.min(tokens, 1);
        }
    }

    /** True while a pause is in force. */
    public synchronized boolean paused(long now) {
        stepBack(now);
        return now < pausedUntil;
    }

    /** The end of the current or last pause. */
    public synchronized long pausedUntil() {
        return pausedUntil;
    }

    /**
     * The downstream said it is overloaded (a 429): halves the current rate, see the class doc.
     * Answers false when a halving less than a second ago already covered it.
     */
    public synchronized boolean throttled(long now) {
        stepBack(now);
        advance(now);
        if (lastHalvedAt != Long.MIN_VALUE && now < lastHalvedAt + 1000) {
            return false;
        }
        lastHalvedAt = now;
        double current = rateAt(now);
        double halved = Math.max(1, (current == UNLIMITED ? measuredRate(now) : current) / 2);
        if (current == UNLIMITED) {
            tokens = 1;
        }
        ramp = Ramp.RECOVERY;
        rampFrom = halved;
        rampStart = Math.max(now, pausedUntil);
        tokens = Math.min(tokens, capacity(halved));
        return true;
    }

    /** The breaker closed: starts at {@code drainRate} calls/s, doubling each second (0: no ramp). */
    public synchronized void slowStart(long now, double drainRate) {
        stepBack(now);
        advance(now);
        if (drainRate <= 0 || drainRate >= limit()) {
            ramp = Ramp.NONE;
            return;
        }
        if (rateAt(now) == UNLIMITED) {
            tokens = 1;
        }
        ramp = Ramp.SLOW_START;
        rampFrom = drainRate;
        rampStart = now;
        tokens = Math.min(tokens, capacity(drainRate));
    }

    /** Sets a new cap (0 for none), keeping any pause and ramp. */
    public synchronized void update(double callsPerSecond) {
        boolean wasUnlimited = limit() == UNLIMITED && ramp == Ramp.NONE;
        cap = Math.max(0, callsPerSecond);
        tokens = wasUnlimited ? capacity(limit()) : Math.min(tokens, capacity(limit()));
    }

    /**
     * When {@code now} is more than a minute behind the latest time a caller was at (reads of
     * other times, as {@link #rate}, do not count), the wall clock stepped
     * back: every time kept here moves back as far, so that a reservation, a pause or a ramp keeps
     * its length instead of lasting until the clock catches up again.
     */
    private void stepBack(long now) {
        if (latest != Long.MIN_VALUE && now < latest - STEP_BACK_MILLIS) {
            long shift = latest - now;
            refilledAt = refilledAt == Long.MIN_VALUE ? Long.MIN_VALUE : refilledAt - shift;
            pausedUntil -= shift;
            rampStart -= shift;
            lastHalvedAt = lastHalvedAt == Long.MIN_VALUE ? Long.MIN_VALUE : lastHalvedAt - shift;
            second = Long.MIN_VALUE;
            latest = now;
            return;
        }
        latest = Math.max(latest, now);
    }

    private void advance(long now) {
        if (refilledAt == Long.MIN_VALUE) {
            refilledAt = now;
        }
        if (now > refilledAt) {
            // the rate at the start of the interval: ramps only go up, so this never over-grants
            double rate = rateAt(refilledAt);
            if (rate != UNLIMITED) {
                tokens = Math.min(capacity(rateAt(now)), tokens + rate * (now - refilledAt) / 1000.0);
            }
            refilledAt = now;
        }
        if (ramp != Ramp.NONE && rateAt(now) >= limit()) {
            ramp = Ramp.NONE;
        }
    }

    private double rateAt(long time) {
        double limit = limit();
        if (ramp == Ramp.NONE) {
            return limit;
        }
        long steps = Math.max(0, time - rampStart) / 1000;
        if (ramp == Ramp.RECOVERY && cap > 0) {
            return Math.min(limit, rampFrom + 0.1 * cap * steps);
        }
        if (cap == 0 && steps >= MAX_DOUBLINGS) {
            return limit;
        }
        return Math.min(limit, rampFrom * Math.pow(2, Math.min(steps, 60)));
    }

    private double limit() {
        return cap > 0 ? cap : UNLIMITED;
    }

    private double capacity(double rate) {
        return rate == UNLIMITED ? 1 : Math.max(1, rate * burstSeconds);
    }

    private void countCall(long now) {
        rollSecond(now);
        callsThisSecond++;
    }

    /** Calls granted in the last whole second or this one, whichever is more. */
    private double measuredRate(long now) {
        rollSecond(now);
        return Math.max(callsThisSecond, callsLastSecond);
    }

    private void rollSecond(long now) {
        long s = Math.floorDiv(now, 1000);
        if (s > second) {
            callsLastSecond = s == second + 1 ? callsThisSecond : 0;
            callsThisSecond = 0;
            second = s;
        }
    }
}
