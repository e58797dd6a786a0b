package dev.ladder.kernel;

import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The time Ladder reads: epoch milliseconds that follow the wall clock without being thrown by its
 * steps. Due times, idempotency expiry and the downstream gate all run on it. Thread-safe.
 *
 * <p>Between two readings the wall clock should move as much as the monotonic clock did. When it
 * moves more than {@link #STEP} further (a step forward: NTP fixing a slow clock, a VM resumed
 * from a snapshot), the clock keeps its pace instead: following the step would run every retry
 * due within it at once and forget every event id whose retention ends within it, letting their
 * duplicates through. The skipped time is kept as an offset behind the wall clock until the wall
 * clock steps back by as much, or the instance restarts. When the wall clock steps back (NTP
 * fixing a fast clock), any offset is used up first; beyond that the clock goes back with it,
 * which only makes retries later, never earlier, and is counted in {@link #backSteps()} so that
 * whatever waits for a time now an hour away (a punctuation schedule, an open breaker) is re-armed.
 *
 * <p>A clock {@link #following} a given time (a TopologyTestDriver's mock time, which has no
 * monotonic partner) takes forward moves as they are and only catches steps back.
 */
public final class LadderClock {

    /**
     * A difference between the wall and the monotonic clock larger than this (plus 0.2 % of the
     * time between the two readings) is a step.
     */
    public static final Duration STEP = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(LadderClock.class);

    private final LongSupplier wallMillis;
    private final LongSupplier monotonicNanos;
    private final boolean holdsForwardSteps;
    private boolean started;
    private long lastWall;
    private long lastNanos;
    /** Ladder time minus wall time: 0, or negative after a step forward it did not follow. */
    private long offset;

    private long last;
    private long backSteps;
    /** Sum of the steps back followed, so {@link #streamsTime()} can ignore them. */
    private long followedBack;

    private long lastStreams = Long.MIN_VALUE;

    /**
     * A clock over the given sources.
     *
     * @param wallMillis the wall clock, epoch milliseconds
     * @param monotonicNanos a monotonic clock (as {@link System#nanoTime()}) that tells how much
     *     time really passed between two readings
     */
    public LadderClock(LongSupplier wallMillis, LongSupplier monotonicNanos) {
        this(wallMillis, monotonicNanos, true);
    }

    private LadderClock(LongSupplier wallMillis, LongSupplier monotonicNanos, boolean holdsForwardSteps) {
        this.wallMillis = wallMillis;
        this.monotonicNanos = monotonicNanos;
        this.holdsForwardSteps = holdsForwardSteps;
    }

    /** The system's wall clock, with {@link System#nanoTime()} telling steps from time passing. */
    public static LadderClock system() {
        return new LadderClock(System::currentTimeMillis, System::nanoTime);
    }

    /** A clock that takes {@code wallMillis} as it is going forward, and catches steps back. */
    public static LadderClock following(LongSupplier wallMillis) {
        return new LadderClock(wallMillis, () -> 0L, false);
    }

    /** Ladder's current time, epoch milliseconds. */
    public synchronized long millis() {
        long wall = wallMillis.getAsLong();
        long nanos = monotonicNanos.getAsLong();
        if (!started) {
            started = true;
            lastWall = wall;
            lastNanos = nanos;
            last = wall;
            return wall;
        }
        long elapsed = holdsForwardSteps ? (nanos - lastNanos) / 1_000_000L : 0;
        long jump = wall - (lastWall + elapsed);
        // a wall clock NTP slews runs up to 0.05 % off the monotonic one: no step
        long tolerance = STEP.toMillis() + Math.abs(elapsed) / 500;
        boolean wentBack = false;
        if (jump > tolerance && holdsForwardSteps) {
            offset -= jump;
            log.warn(
                    "the wall clock stepped {} ms forward; Ladder keeps its pace and now runs {} ms behind it"
                            + " (until the wall clock steps back or Ladder restarts)",
                    jump,
                    -offset);
        } else if (jump < -tolerance) {
            long back = -jump;
            long usedUp = Math.min(back, -offset);
            offset += usedUp;
            if (back > usedUp) {
                wentBack = true;
                backSteps++;
                followedBack += back - usedUp;
                log.warn(
                        "the wall clock stepped {} ms back; Ladder's time goes back {} ms with it (retries run later)",
                        back,
                        back - usedUp);
            }
        }
        lastWall = wall;
        lastNanos = nanos;
        long now = wall + offset;
        // small jitter back (within STEP) never moves time back
        last = wentBack ? now : Math.max(last, now);
        return last;
    }

    /** How often the clock went back with the wall clock; a change means: re-arm your schedules. */
    public synchronized long backSteps() {
        return backSteps;
    }

    /**
     * This clock as Kafka Streams' {@link Time}, for {@code new KafkaStreams(topology, props,
     * time)}: it never goes back, so a wall-clock punctuation never stalls for the length of a step
     * back (Kafka Streams fires one only once the time passes the one it scheduled).
     */
    public Time streamsTime() {
        return new StreamsTime();
    }

    private synchronized long streamsMillis() {
        long now = millis() + followedBack;
        lastStreams = Math.max(lastStreams, now);
        return lastStreams;
    }

    private final class StreamsTime implements Time {
        @Override
        public long milliseconds() {
            return streamsMillis();
        }

        @Override
        public long nanoseconds() {
            return System.nanoTime();
        }

        @Override
        public void sleep(long ms) {
            Time.SYSTEM.sleep(ms);
        }

        @Override
        public void waitObject(Object obj, Supplier<Boolean> condition, long deadlineMs) throws InterruptedException {
            synchronized (obj) {
                while (true) {
                    if (condition.get()) {
                        return;
                    }
                    long now = milliseconds();
                    if (now >= deadlineMs) {
                        throw new TimeoutException("Condition not satisfied before deadline");
                    }
                    obj.wait(deadlineMs - now);
                }
            }
        }
    }
}
