package dev.ladder.topology.internals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.handler.Outcome;
import dev.ladder.policy.Backoff;
import dev.ladder.policy.RetryPolicy;
import dev.ladder.policy.Tier;
import java.time.Duration;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The ladder's rules without Kafka: attempt, outcome and time in, decision out. */
class RetryDeciderTest {

    static final long NOW = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    static final Duration ONE_MINUTE = Duration.ofMinutes(1);
    static final Duration FIVE_MINUTES = Duration.ofMinutes(5);
    static final Duration MAX_RETRY_AFTER = Duration.ofMinutes(15);

    /** Tiers 1m × 2 and 5m × 1: four attempts in all. */
    static final RetryPolicy POLICY = RetryPolicy.of(Tier.of(ONE_MINUTE, 2), Tier.of(FIVE_MINUTES, 1));

    static RetryDecider decider(RetryPolicy policy) {
        return new RetryDecider(policy, MAX_RETRY_AFTER, new SplittableRandom(42));
    }

    @Test
    void shouldCompleteAndForwardOnSuccess() {
        // when
        RetryDecision decision = decider(POLICY).decide(0, 1, 1, NOW, Outcome.success(), NOW);

        // then
        assertThat(decision).isEqualTo(new RetryDecision.Complete(true));
    }

    @Test
    void shouldCompleteWithoutForwardingOnDrop() {
        // when
        RetryDecision decision = decider(POLICY).decide(1, 1, 2, NOW, Outcome.drop("not for us"), NOW);

        // then
        assertThat(decision).isEqualTo(new RetryDecision.Complete(false));
    }

    @Test
    void shouldDeadLetterAPermanentFailureAtOnce() {
        // when
        RetryDecision decision = decider(POLICY).decide(0, 1, 1, NOW, Outcome.fail("malformed order"), NOW);

        // then
        assertThat(decision).isInstanceOf(RetryDecision.DeadLetter.class);
        assertThat(((RetryDecision.DeadLetter) decision).reason())
                .startsWith("non-retryable")
                .contains("malformed order");
    }

    @Test
    void shouldSendATransientFailureFromMainToTheFirstTierDueAfterItsDelay() {
        // when
        RetryDecision decision = decider(POLICY).decide(0, 1, 1, NOW, Outcome.retry("busy"), NOW);

        // then
        assertThat(decision).isEqualTo(new RetryDecision.Retry(1, 1, NOW + ONE_MINUTE.toMillis()));
    }

    @Test
    void shouldStayOnATierUntilItsAttemptsAreUsed() {
        // given the first attempt on tier 1 failed, with a tier of two attempts
        long now = NOW + 60_000;

        // when
        RetryDecision decision = decider(POLICY).decide(1, 1, 2, NOW, Outcome.retry("busy"), now);

        // then
        assertThat(decision).isEqualTo(new RetryDecision.Retry(1, 2, now + ONE_MINUTE.toMillis()));
    }

    @Test
    void shouldMoveToTheNextTierWhenATierIsExhausted() {
        // given both attempts on tier 1 failed
        long now = NOW + 120_000;

        // when
        RetryDecision decision = decider(POLICY).decide(1, 2, 3, NOW, Outcome.retry("busy"), now);

        // then
        assertThat(decision).isEqualTo(new RetryDecision.Retry(2, 1, now + FIVE_MINUTES.toMillis()));
    }

    @Test
    void shouldDeadLetterWhenTheLastTierIsExhausted() {
        // when the only attempt on the last tier failed
        RetryDecision decision = decider(POLICY).decide(2, 1, 4, NOW, Outcome.retry("still busy"), NOW + 420_000);

        // then
        assertThat(decision).isInstanceOf(RetryDecision.DeadLetter.class);
        assertThat(((RetryDecision.DeadLetter) decision).reason())
                .startsWith("retries exhausted after 4 attempts")
                .contains("still busy");
    }

    @Test
    void shouldNeverDeadLetterOnAnUnlimitedLastTier() {
        // given a last tier that retries forever
        RetryDecider decider = decider(RetryPolicy.of(Tier.of(ONE_MINUTE, 1), Tier.unlimited(FIVE_MINUTES)));
        int tier = 0;
        int tierAttempt = 1;
        long now = NOW;

        // when 1,000 attempts fail in a row
        for (int attempt = 1; attempt <= 1_000; attempt++) {
            RetryDecision decision = decider.decide(tier, tierAttempt, attempt, NOW, Outcome.retry("down"), now);

            // then every one is retried, on the last tier from attempt 2 on, never earlier than its delay
            assertThat(decision).as("decision after attempt %d", attempt).isInstanceOf(RetryDecision.Retry.class);
            RetryDecision.Retry retry = (RetryDecision.Retry) decision;
            assertThat(retry.tier()).isEqualTo(attempt == 1 ? 1 : 2);
            assertThat(retry.dueTime() - now).isEqualTo(attempt == 1 ? ONE_MINUTE.toMillis() : FIVE_MINUTES.toMillis());
            tier = retry.tier();
            tierAttempt = retry.tierAttempt();
            now = retry.dueTime();
        }
    }

    @Test
    void shouldNeverScheduleInThePastWhenAnUncappedBackoffWithJitterGrowsHuge() {
        // given an unlimited tier whose exponential backoff has no cap, full jitter, and the
        // largest jitter draw there is
        RandomGenerator largestDraw = new RandomGenerator() {
            @Override
            public long nextLong() {
                return Long.MAX_VALUE;
            }

            @Override
            public long nextLong(long bound) {
                return bound - 1;
            }
        };
        RetryDecider decider = new RetryDecider(
                RetryPolicy.of(Tier.unlimited(ONE_MINUTE))
                        .withBackoff(new Backoff.Exponential(2.0, null))
                        .withJitter(1.0),
                MAX_RETRY_AFTER,
                largestDraw);

        // when the tier attempt is so high that the delay saturates
        RetryDecision.Retry retry = (RetryDecision.Retry) decider.decide(1, 100, 101, NOW, Outcome.retry("down"), NOW);

        // then the due time does not wrap around into the past
        assertThat(retry.dueTime()).isGreaterThan(NOW + ONE_MINUTE.toMillis());
    }

    @Test
    void shouldPushTheDueTimeLaterWhenTheNotBeforeHintIsLaterThanTheDelay() {
        // given
        Instant hint = Instant.ofEpochMilli(NOW).plus(Duration.ofMinutes(10));

        // when
        RetryDecision decision =
                decider(POLICY).decide(0, 1, 1, NOW, Outcome.retry("429").withNotBefore(hint), NOW);

        // then
        assertThat(decision).isEqualTo(new RetryDecision.Retry(1, 1, hint.toEpochMilli()));
    }

    @Test
    void shouldIgnoreANotBeforeHintEarlierThanTheDelay() {
        // given a hint that would retry after one second
        Instant hint = Instant.ofEpochMilli(NOW).plusSeconds(1);

        // when
        RetryDecision decision =
                decider(POLICY).decide(0, 1, 1, NOW, Outcome.retry("503").withNotBefore(hint), NOW);

        // then the tier's delay still holds: never earlier
        assertThat(decision).isEqualTo(new RetryDecision.Retry(1, 1, NOW + ONE_MINUTE.toMillis()));
    }

    @Test
    void shouldCutAFarFutureHintToMaxRetryAfter() {
        // given a Retry-After date in year 9999
        Instant hint = Instant.parse("9999-12-31T23:59:59Z");

        // when
        RetryDecision decision =
                decider(POLICY).decide(0, 1, 1, NOW, Outcome.retry("503").withNotBefore(hint), NOW);

        // then the retry waits max-retry-after, not 8,000 years
        assertThat(decision).isEqualTo(new RetryDecision.Retry(1, 1, NOW + MAX_RETRY_AFTER.toMillis()));
    }

    static Stream<Arguments> extremeHints() {
        long tierDue = NOW + ONE_MINUTE.toMillis();
        long capped = NOW + MAX_RETRY_AFTER.toMillis();
        return Stream.of(
                Arguments.of(Instant.MAX, capped),
                Arguments.of(Instant.ofEpochMilli(Long.MAX_VALUE).plusNanos(999_999), capped),
                Arguments.of(Instant.ofEpochMilli(Long.MAX_VALUE).plusMillis(1), capped),
                Arguments.of(Instant.parse("9999-01-01T00:00:00Z"), capped),
                Arguments.of(Instant.MIN, tierDue),
                Arguments.of(Instant.ofEpochMilli(Long.MIN_VALUE).minusMillis(1), tierDue),
                Arguments.of(Instant.EPOCH, tierDue),
                Arguments.of(Instant.parse("1900-01-01T00:00:00Z"), tierDue),
                Arguments.of(Instant.ofEpochMilli(NOW), tierDue));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("extremeHints")
    void shouldNeverThrowAndKeepTheDueTimeBetweenTheTierDelayAndTheCapForAnyHint(Instant hint, long expectedDue) {
        // when a handler returns any instant at all as its hint
        RetryDecision decision =
                decider(POLICY).decide(0, 1, 1, NOW, Outcome.retry("odd hint").withNotBefore(hint), NOW);

        // then
        assertThat(decision).isEqualTo(new RetryDecision.Retry(1, 1, expectedDue));
    }

    @Test
    void shouldKeepATierDelayLongerThanMaxRetryAfter() {
        // given a 30-minute tier and a 1-hour hint, with hints cut at 15 minutes
        RetryDecider decider = decider(RetryPolicy.of(Tier.of(Duration.ofMinutes(30), 1)));
        Instant hint = Instant.ofEpochMilli(NOW).plus(Duration.ofHours(1));

        // when
        RetryDecision decision =
                decider.decide(0, 1, 1, NOW, Outcome.retry("429").withNotBefore(hint), NOW);

        // then the cap bounds the hint, never the tier's own delay
        assertThat(decision)
                .isEqualTo(new RetryDecision.Retry(
                        1, 1, NOW + Duration.ofMinutes(30).toMillis()));
    }

    @Test
    void shouldSaturateTheDueTimeOfATierDelayBeyondTheRangeOfMilliseconds() {
        // given a tier delay no long can hold in milliseconds (Duration.toMillis would throw)
        RetryDecider decider = decider(RetryPolicy.of(Tier.of(Duration.ofSeconds(Long.MAX_VALUE), 1)));

        // when
        RetryDecision decision = decider.decide(0, 1, 1, NOW, Outcome.retry("busy"), NOW);

        // then
        assertThat(decision).isEqualTo(new RetryDecision.Retry(1, 1, Long.MAX_VALUE));
    }

    @Test
    void shouldNeverScheduleInThePastWithAHugeRandomSpreadAndFullJitter() {
        // given a random backoff whose upper bound saturates, and full jitter on top of it
        RetryDecider decider =
                decider(POLICY.withBackoff(new Backoff.Random(Double.MAX_VALUE)).withJitter(1.0));

        // when
        for (int i = 0; i < 1_000; i++) {
            RetryDecision.Retry retry = (RetryDecision.Retry) decider.decide(0, 1, 1, NOW, Outcome.retry("busy"), NOW);

            // then the sum saturates instead of wrapping into the past
            assertThat(retry.dueTime()).isGreaterThanOrEqualTo(NOW + ONE_MINUTE.toMillis());
        }
    }

    @Test
    void shouldDeadLetterForMaxAgeWhenAnEnvelopeClaimsAFirstAttemptAtTheStartOfTime() {
        // given a crafted tier record whose first attempt time would overflow now - first
        RetryDecider decider = decider(POLICY.withMaxAge(Duration.ofHours(1)));

        // when
        RetryDecision decision = decider.decide(1, 1, 2, Long.MIN_VALUE, Outcome.retry("busy"), NOW);

        // then it is as old as can be, not negative-aged and retried forever
        assertThat(decision).isInstanceOf(RetryDecision.DeadLetter.class);
    }

    @Test
    void shouldDeadLetterWhenTheEventIsOlderThanMaxAge() {
        // given a one-hour max age and an event first tried an hour ago
        RetryDecider decider = decider(POLICY.withMaxAge(Duration.ofHours(1)));
        long firstAttempt = NOW - Duration.ofHours(1).toMillis();

        // when
        RetryDecision decision = decider.decide(1, 1, 2, firstAttempt, Outcome.retry("busy"), NOW);

        // then
        assertThat(decision).isInstanceOf(RetryDecision.DeadLetter.class);
        assertThat(((RetryDecision.DeadLetter) decision).reason()).startsWith("max-age PT1H exceeded after 2 attempts");
    }

    @Test
    void shouldStillRetryAnEventYoungerThanMaxAge() {
        // given
        RetryDecider decider = decider(POLICY.withMaxAge(Duration.ofHours(1)));
        long firstAttempt = NOW - Duration.ofHours(1).toMillis() + 1;

        // when
        RetryDecision decision = decider.decide(1, 1, 2, firstAttempt, Outcome.retry("busy"), NOW);

        // then
        assertThat(decision).isInstanceOf(RetryDecision.Retry.class);
    }

    @Test
    void shouldOnlyAddJitterAndStayWithinTheJitterFraction() {
        // given 50% jitter on a one-minute tier
        RetryDecider decider = decider(POLICY.withJitter(0.5));
        long base = ONE_MINUTE.toMillis();
        long lowest = Long.MAX_VALUE;
        long highest = Long.MIN_VALUE;

        // when
        for (int i = 0; i < 10_000; i++) {
            RetryDecision.Retry retry = (RetryDecision.Retry) decider.decide(0, 1, 1, NOW, Outcome.retry("busy"), NOW);
            lowest = Math.min(lowest, retry.dueTime() - NOW);
            highest = Math.max(highest, retry.dueTime() - NOW);
        }

        // then every delay is in [d, 1.5 d], and the draws really spread over that range
        assertThat(lowest).isGreaterThanOrEqualTo(base).isLessThan(base + 1_000);
        assertThat(highest).isLessThanOrEqualTo(base + base / 2).isGreaterThan(base + base / 2 - 1_000);
    }
}
