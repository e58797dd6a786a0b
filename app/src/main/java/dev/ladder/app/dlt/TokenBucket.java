package dev.ladder.app.dlt;

import java.util.function.LongSupplier;

/**
 * A token bucket: on average {@code rate} permits a second, with bursts of at most {@code burst}.
 * Not thread-safe; one replay loop owns it.
 */
final class TokenBucket {

    /** Sleeps for a number of nanoseconds. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    private final double perNano;
    private final double burst;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    private double tokens;
    private long last;

    TokenBucket(double rate, double burst, LongSupplier nanoTime, Sleeper sleeper) {
        if (rate <= 0 || burst < 1) {
            throw new IllegalArgumentException("rate must be > 0 and burst >= 1");
        }
        this.perNano = rate / 1e9;
        this.burst = burst;
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
        this.last = nanoTime.getAsLong();
        this.tokens = 1;
    }

    /**
     * A bucket for a replay rate: bursts of a tenth of a second's worth, enough to catch up after a
     * transaction commit or a fetch stalled the loop, small enough that the rate holds over any
     * window of a second or more.
     */
    static TokenBucket perSecond(double rate) {
        return new TokenBucket(
                rate,
                Math.max(1, rate / 10),
                System::nanoTime,
                nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)));
    }

    /** Takes one permit, sleeping until there is one. */
    void acquire() throws InterruptedException {
        refill();
        while (tokens < 1) {
            sleeper.sleep((long) Math.ceil((1 - tokens) / perNano));
            refill();
        }
        tokens -= 1;
    }

    private void refill() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(burst, tokens + (now - last) * perNano);
        last = now;
    }
}
