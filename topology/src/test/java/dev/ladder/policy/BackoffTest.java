package dev.ladder.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** How the delay grows across the attempts of one tier. */
class BackoffTest {

    static final Duration BASE = Duration.ofMinutes(1);
    final RandomGenerator random = new SplittableRandom(7);

    @Test
    void shouldKeepTheSameDelayWhenFixed() {
        // given
        Backoff backoff = new Backoff.Fixed();

        // then
        assertThat(backoff.delay(BASE, 1, random)).isEqualTo(BASE);
        assertThat(backoff.delay(BASE, 50, random)).isEqualTo(BASE);
    }

    @Test
    void shouldGrowLinearlyUpToTheCap() {
        // given
        Backoff backoff = new Backoff.Linear(Duration.ofMinutes(5));

        // then base × n, then capped
        assertThat(backoff.delay(BASE, 1, random)).isEqualTo(Duration.ofMinutes(1));
        assertThat(backoff.delay(BASE, 2, random)).isEqualTo(Duration.ofMinutes(2));
        assertThat(backoff.delay(BASE, 4, random)).isEqualTo(Duration.ofMinutes(4));
        assertThat(backoff.delay(BASE, 6, random)).isEqualTo(Duration.ofMinutes(5));
        assertThat(backoff.delay(BASE, Integer.MAX_VALUE, random)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void shouldGrowLinearlyWithoutLimitWhenNoMaxIsSet() {
        // given
        Backoff backoff = new Backoff.Linear(null);

        // then
        assertThat(backoff.delay(BASE, 100, random)).isEqualTo(Duration.ofMinutes(100));
        assertThat(backoff.delay(Duration.ofDays(365_000), Integer.MAX_VALUE, random))
                .isPositive();
    }

    @Test
    void shouldGrowExponentiallyUpToTheCap() {
        // given
        Backoff backoff = new Backoff.Exponential(2.0, Duration.ofMinutes(10));

        // then base × 2^(n-1), then capped
        assertThat(backoff.delay(BASE, 1, random)).isEqualTo(Duration.ofMinutes(1));
        assertThat(backoff.delay(BASE, 2, random)).isEqualTo(Duration.ofMinutes(2));
        assertThat(backoff.delay(BASE, 3, random)).isEqualTo(Duration.ofMinutes(4));
        assertThat(backoff.delay(BASE, 4, random)).isEqualTo(Duration.ofMinutes(8));
        assertThat(backoff.delay(BASE, 5, random)).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void shouldUseAFractionalMultiplier() {
        // given
        Backoff backoff = new Backoff.Exponential(1.5, null);

        // then
        assertThat(backoff.delay(Duration.ofSeconds(10), 3, random)).isEqualTo(Duration.ofMillis(22_500));
    }

    @Test
    void shouldNotOverflowForAHugeAttemptNumber() {
        // given an uncapped and a capped exponential backoff
        Backoff uncapped = new Backoff.Exponential(2.0, null);
        Backoff capped = new Backoff.Exponential(2.0, Duration.ofHours(1));

        // when the attempt number is far beyond what fits in a long
        Duration huge = uncapped.delay(BASE, 10_000, random);

        // then the delay is still positive and long, and the cap still holds
        assertThat(huge).isGreaterThan(Duration.ofDays(365 * 1_000L));
        assertThat(capped.delay(BASE, Integer.MAX_VALUE, random)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void shouldNeverGoBelowTheBaseWhenTheCapIsBelowIt() {
        // given a cap shorter than the tier's delay
        Backoff backoff = new Backoff.Linear(Duration.ofSeconds(10));

        // then the base wins
        assertThat(backoff.delay(BASE, 3, random)).isEqualTo(BASE);
    }

    @Test
    void shouldDrawARandomDelayBetweenTheBaseAndTheSpread() {
        // given
        Backoff backoff = new Backoff.Random(3.0);
        long lowest = Long.MAX_VALUE;
        long highest = Long.MIN_VALUE;

        // when
        for (int i = 0; i < 10_000; i++) {
            long millis = backoff.delay(BASE, 1, random).toMillis();
            lowest = Math.min(lowest, millis);
            highest = Math.max(highest, millis);
        }

        // then every draw is in [base, 3 × base], never below the base, and the draws spread
        assertThat(lowest).isGreaterThanOrEqualTo(60_000).isLessThan(61_000);
        assertThat(highest).isLessThanOrEqualTo(180_000).isGreaterThan(179_000);
    }

    @Test
    void shouldDrawWithoutThrowingWhenAHugeSpreadSaturatesTheUpperBound() {
        // given a spread whose upper bound does not fit in a long (high + 1 used to wrap)
        Backoff backoff = new Backoff.Random(Double.MAX_VALUE);

        // then every draw is a delay of at least the base
        for (int i = 0; i < 1_000; i++) {
            assertThat(backoff.delay(BASE, 1, random)).isGreaterThanOrEqualTo(BASE);
        }
    }

    @Test
    void shouldNotThrowForABaseDelayBeyondTheRangeOfMilliseconds() {
        // given a tier delay whose Duration.toMillis() throws
        Duration endless = Duration.ofSeconds(Long.MAX_VALUE);

        // then every backoff still gives a positive delay
        assertThat(new Backoff.Linear(null).delay(endless, 3, random)).isPositive();
        assertThat(new Backoff.Exponential(2.0, null).delay(endless, 3, random)).isPositive();
        assertThat(new Backoff.Random(2.0).delay(endless, 1, random)).isPositive();
    }

    @Test
    void shouldReturnTheBaseWhenTheSpreadIsOne() {
        // given
        Backoff backoff = new Backoff.Random(1.0);

        // then
        assertThat(backoff.delay(BASE, 1, random)).isEqualTo(BASE);
    }
}
