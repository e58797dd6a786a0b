package dev.ladder.app.dlt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenBucketTest {

    @Test
    void shouldHoldTheRateAfterTheFirstBurst() throws InterruptedException {
        // given a fake clock that advances only when the bucket sleeps
        long[] now = {0};
        TokenBucket bucket = new TokenBucket(1000, 10, () -> now[0], nanos -> now[0] += nanos);

        // when 2001 permits are taken
        for (int i = 0; i < 2001; i++) {
            bucket.acquire();
        }

        // then 2000 of them took 2 seconds at 1000/s (the first is free)
        assertThat(now[0]).isBetween(1_999_000_000L, 2_001_000_000L);
    }

    @Test
    void shouldNotSaveUpMoreThanTheBurst() throws InterruptedException {
        // given a bucket idle for a minute
        long[] now = {0};
        TokenBucket bucket = new TokenBucket(100, 5, () -> now[0], nanos -> now[0] += nanos);
        now[0] += 60_000_000_000L;
        long idleEnd = now[0];

        // when 105 permits are taken
        for (int i = 0; i < 105; i++) {
            bucket.acquire();
        }

        // then only 5 came free; 100 waited one second
        assertThat(now[0] - idleEnd).isBetween(990_000_000L, 1_010_000_000L);
    }
}
