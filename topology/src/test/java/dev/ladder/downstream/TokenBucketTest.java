package dev.ladder.downstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private static final long T0 = 1_700_000_000_000L;

    @Test
    void shouldHoldCallsOverTenSecondsToTheRatePlusOneSecondOfBurst() {
        // given a bucket at 20 calls/s and greedy callers polling every 5 ms
        double rate = 20;
        TokenBucket bucket = new TokenBucket(rate);

        // when they call whenever no wait is needed, for 10 simulated seconds
        int calls = 0;
        for (long now = T0; now < T0 + 10_000; now += 5) {
            while (bucket.tryReserve(now, 0) == 0) {
                calls++;
            }
        }

        // then at most 10 s of rate plus the burst went through, and not much less
        assertThat(calls).isLessThanOrEqualTo((int) (rate * 10 + rate)).isGreaterThanOrEqualTo((int) (rate * 10));
    }

    @Test
    void shouldHoldTheRatePlusTheBurstItWasGiven() {
        // given a bucket at 1000 calls/s with a tenth of a second of burst
        TokenBucket bucket = new TokenBucket(1000, 0.1);

        // when a caller takes 2100 tokens in a row, waiting out each reservation
        long now = T0;
        for (int i = 0; i < 2100; i++) {
            now += bucket.reserve(now);
        }

        // then the first 100 came at once and the other 2000 took two seconds
        assertThat(now - T0).isBetween(1_999L, 2_001L);
    }

    @Test
    void shouldSaveUpNoMoreThanItsBurstWhenIdle() {
        // given a bucket at 100 calls/s with a twentieth of a second of burst, idle for a minute
        TokenBucket bucket = new TokenBucket(100, 0.05);
        bucket.reserve(T0);
        long idleEnd = T0 + 60_000;

        // when 105 tokens are taken at the end of the idle minute
        long now = idleEnd;
        for (int i = 0; i < 105; i++) {
            now += bucket.reserve(now);
        }

        // then only 5 came free; 100 waited one second
        assertThat(now - idleEnd).isBetween(990L, 1_010L);
    }

    @Test
    void shouldRefuseABurstThatIsNotPositive() {
        assertThatThrownBy(() -> new TokenBucket(10, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("burstSeconds");
    }

    @Test
    void shouldSpreadQueuedReservationsAtTheRate() {
        // given a full bucket at 10 calls/s
        TokenBucket bucket = new TokenBucket(10);

        // when 1000 callers reserve at once, each calling after its wait
        int inTenSeconds = 0;
        for (int i = 0; i < 1000; i++) {
            if (bucket.reserve(T0) < 10_000) {
                inTenSeconds++;
            }
        }

        // then 10 s hold no more than 10 s of rate plus the burst: 10 at once, then one per 100 ms
        assertThat(inTenSeconds).isLessThanOrEqualTo(110).isEqualTo(10 + 99);
    }

    @Test
    void shouldComputeWaitsFromTheTokensLeft() {
        // given a bucket at 10 calls/s emptied by its burst
        TokenBucket bucket = new TokenBucket(10);
        for (int i = 0; i < 10; i++) {
            assertThat(bucket.reserve(T0)).isZero();
        }

        // then the next callers queue 100 ms apart
        assertThat(bucket.reserve(T0)).isEqualTo(100);
        assertThat(bucket.reserve(T0)).isEqualTo(200);
        // and 250 ms later, a third reservation is due 50 ms after that
        assertThat(bucket.reserve(T0 + 250)).isEqualTo(50);
    }

    @Test
    void shouldNotTakeTheTokenWhenTheWaitIsTooLong() {
        // given a bucket at 1 call/s whose token is taken
        TokenBucket bucket = new TokenBucket(1);
        assertThat(bucket.tryReserve(T0, 1000)).isZero();

        // when a caller would wait longer than it accepts
        long wait = bucket.tryReserve(T0, 500);

        // then it learns the wait without taking the next token
        assertThat(wait).isEqualTo(1000);
        assertThat(bucket.tryReserve(T0, 500)).isEqualTo(1000);
        assertThat(bucket.tryReserve(T0 + 1000, 0)).isZero();
    }

    @Test
    void shouldNeverWaitWithoutACap() {
        // given no cap
        TokenBucket bucket = new TokenBucket(0);

        // then any number of callers go at once
        for (int i = 0; i < 10_000; i++) {
            assertThat(bucket.reserve(T0)).isZero();
        }
        assertThat(bucket.rate(T0)).isInfinite();
    }

    @Test
    void shouldMakeEveryoneWaitForAPause() {
        // given buckets with and without a cap, paused for 5 s
        TokenBucket capped = new TokenBucket(100);
        TokenBucket unlimited = new TokenBucket(0);
        capped.pauseUntil(T0, T0 + 5_000);
        unlimited.pauseUntil(T0, T0 + 5_000);

        // then every reserve waits until the end of the pause
        assertThat(capped.paused(T0 + 4_999)).isTrue();
        assertThat(capped.reserve(T0 + 1_000)).isEqualTo(4_000);
        assertThat(unlimited.reserve(T0 + 1_000)).isEqualTo(4_000);
        assertThat(unlimited.paused(T0 + 5_000)).isFalse();
        assertThat(unlimited.reserve(T0 + 5_000)).isZero();
    }

    @Test
    void shouldNotBurstWhenAPauseEnds() {
        // given a bucket at 10 calls/s paused for 10 s
        TokenBucket bucket = new TokenBucket(10);
        bucket.pauseUntil(T0, T0 + 10_000);

        // when the pause ends
        long end = T0 + 10_000;

        // then one call goes at once and the next at the rate
        assertThat(bucket.reserve(end)).isZero();
        assertThat(bucket.reserve(end)).isEqualTo(100);
    }

    @Test
    void shouldHalveTheRateOnThrottleAndRecoverByATenthOfTheCapPerSecond() {
        // given a bucket at 100 calls/s paused by a 429 for 2 s
        TokenBucket bucket = new TokenBucket(100);
        long pauseEnd = T0 + 2_000;
        bucket.pauseUntil(T0, pauseEnd);

        // when it is throttled
        bucket.throttled(T0);

        // then the rate is halved from the end of the pause, and climbs 10/s back to the cap
        assertThat(bucket.rate(pauseEnd)).isEqualTo(50);
        assertThat(bucket.rate(pauseEnd + 999)).isEqualTo(50);
        assertThat(bucket.rate(pauseEnd + 1_000)).isEqualTo(60);
        assertThat(bucket.rate(pauseEnd + 3_000)).isEqualTo(80);
        assertThat(bucket.rate(pauseEnd + 5_000)).isEqualTo(100);
        assertThat(bucket.rate(pauseEnd + 60_000)).isEqualTo(100);
    }

    @Test
    void shouldHalveOncePerSecondAndNeverBelowOneCallPerSecond() {
        // given a bucket at 8 calls/s
        TokenBucket bucket = new TokenBucket(8);

        // when a burst of 429s comes back within a second
        boolean first = bucket.throttled(T0);
        boolean second = bucket.throttled(T0 + 10);
        boolean third = bucket.throttled(T0 + 999);

        // then they halve once
        assertThat(bucket.rate(T0 + 999)).isEqualTo(4);
        assertThat(List.of(first, second, third)).containsExactly(true, false, false);

        // and repeated throttling floors at 1 call/s
        for (int i = 1; i <= 5; i++) {
            bucket.throttled(T0 + i * 1_000L);
        }
        assertThat(bucket.rate(T0 + 5_000)).isEqualTo(1);
    }

    @Test
    void shouldThrottleAnUncappedBucketFromTheMeasuredRate() {
        // given no cap and 40 calls in the last second
        TokenBucket bucket = new TokenBucket(0);
        for (int i = 0; i < 40; i++) {
            bucket.reserve(T0 + i * 25L);
        }

        // when throttled
        long now = T0 + 1_000;
        bucket.throttled(now);

        // then it runs at half the measured rate, doubling back to no limit
        assertThat(bucket.rate(now)).isEqualTo(20);
        assertThat(bucket.rate(now + 1_000)).isEqualTo(40);
        assertThat(bucket.rate(now + 9_999)).isEqualTo(20 * 512);
        assertThat(bucket.rate(now + 10_000)).isInfinite();
    }

    @Test
    void shouldSlowStartFromTheDrainRateDoublingToTheCap() {
        // given a bucket capped at 1000 calls/s
        TokenBucket bucket = new TokenBucket(1000);

        // when the breaker closes with a drain rate of 50
        bucket.slowStart(T0, 50);

        // then the rate doubles each second up to the cap
        assertThat(bucket.rate(T0)).isEqualTo(50);
        assertThat(bucket.rate(T0 + 1_000)).isEqualTo(100);
        assertThat(bucket.rate(T0 + 2_000)).isEqualTo(200);
        assertThat(bucket.rate(T0 + 4_000)).isEqualTo(800);
        assertThat(bucket.rate(T0 + 5_000)).isEqualTo(1000);
        assertThat(bucket.rate(T0 + 60_000)).isEqualTo(1000);
    }

    @Test
    void shouldSlowStartWithoutACapUntilTheLimitIsLifted() {
        // given no cap
        TokenBucket bucket = new TokenBucket(0);

        // when the breaker closes with a drain rate of 50
        bucket.slowStart(T0, 50);

        // then calls are paced from the first one, doubling until the limit is lifted
        assertThat(bucket.reserve(T0)).isZero();
        assertThat(bucket.reserve(T0)).isEqualTo(20);
        assertThat(bucket.rate(T0 + 3_000)).isEqualTo(400);
        assertThat(bucket.rate(T0 + TokenBucket.MAX_DOUBLINGS * 1_000L)).isInfinite();
        assertThat(bucket.reserve(T0 + TokenBucket.MAX_DOUBLINGS * 1_000L)).isZero();
    }

    @Test
    void shouldKeepPauseAndRampWhenTheCapChanges() {
        // given a bucket at 100 calls/s, paused and slow-starting
        TokenBucket bucket = new TokenBucket(100);
        bucket.slowStart(T0, 10);
        bucket.pauseUntil(T0, T0 + 1_000);

        // when the cap is raised to 1000
        bucket.update(1000);

        // then the pause and the ramp go on, now towards the new cap
        assertThat(bucket.paused(T0 + 500)).isTrue();
        assertThat(bucket.rate(T0 + 500)).isEqualTo(10);
        assertThat(bucket.rate(T0 + 4_000)).isEqualTo(160);
        assertThat(bucket.rate(T0 + 7_000)).isEqualTo(1000);
    }

    @Test
    void shouldNotMakeCallersWaitForTheLengthOfAClockStepBack() {
        // given a bucket at 1 call/s with two reservations taken at T0
        TokenBucket bucket = new TokenBucket(1);
        bucket.reserve(T0);
        bucket.reserve(T0);

        // when the wall clock steps back an hour
        long wait = bucket.tryReserve(T0 - 3_600_000, Long.MAX_VALUE);

        // then the next caller waits for its token, not for the hour
        assertThat(wait).isBetween(1_000L, 3_000L);
    }

    @Test
    void shouldEndAPauseAfterItsLengthWhenTheClockStepsBack() {
        // given a 30 s pause from T0 (a 429's Retry-After)
        TokenBucket bucket = new TokenBucket(0);
        bucket.pauseUntil(T0, T0 + 30_000);

        // when the wall clock steps back an hour
        long back = T0 - 3_600_000;

        // then (seen by the next caller, just after the step) the pause still ends 30 s after it began
        assertThat(bucket.paused(back)).isTrue();
        assertThat(bucket.paused(back + 29_000)).isTrue();
        assertThat(bucket.paused(back + 31_000)).isFalse();
    }
}
