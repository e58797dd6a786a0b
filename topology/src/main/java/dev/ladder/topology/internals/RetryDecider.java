package dev.ladder.topology.internals;

import dev.ladder.handler.Outcome;
import dev.ladder.policy.Millis;
import dev.ladder.policy.RetryPolicy;
import dev.ladder.policy.Tier;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * The ladder's rules as a pure function: (where the attempt was made, how it went, now) to a
 * {@link RetryDecision}. No Kafka, no clock of its own: the caller passes the time in.
 */
final class RetryDecider {

    private final RetryPolicy policy;
    private final Duration maxRetryAfter;
    private final RandomGenerator random;

    /**
     * A decider for one policy.
     *
     * @param policy the ladder's tiers, backoff and limits
     * @param maxRetryAfter the longest delay a not-before hint may push a retry to
     *     ({@code retry.max-retry-after})
     * @param random the source of jitter and random backoff
     */
    public RetryDecider(RetryPolicy policy, Duration maxRetryAfter, RandomGenerator random) {
        this.policy = policy;
        this.maxRetryAfter = maxRetryAfter;
        this.random = random;
    }

    /**
     * Decides what follows an attempt.
     *
     * @param tier tier of the attempt just made (0 = main topic)
     * @param tierAttempt which attempt on that tier it was (1-based)
     * @param attempts attempts made so far over the whole ladder, this one included
     * @param firstAttemptTime when the first attempt was made, epoch milliseconds
     * @param outcome how the attempt went
     * @param now the current wall-clock time, epoch milliseconds
     */
    public RetryDecision decide(
            int tier, int tierAttempt, int attempts, long firstAttemptTime, Outcome outcome, long now) {
        if (outcome instanceof Outcome.Success) {
            return new RetryDecision.Complete(true);
        }
        if (outcome instanceof Outcome.Drop) {
            return new RetryDecision.Complete(false);
        }
        if (outcome instanceof Outcome.Permanent p) {
            return new RetryDecision.DeadLetter("non-retryable failure: " + p.message());
        }
        Outcome.Transient failure = (Outcome.Transient) outcome;
        // saturate: the first attempt time comes from the envelope, which a tier record can craft
        if (policy.maxAge() != null && Millis.subtract(now, firstAttemptTime) >= Millis.of(policy.maxAge())) {
            return new RetryDecision.DeadLetter(
                    "max-age " + policy.maxAge() + " exceeded after " + attempts + " attempts: " + failure.message());
        }
        int nextTier;
        int nextTierAttempt;
        if (tier == 0) {
            nextTier = 1;
            nextTierAttempt = 1;
        } else if (policy.tier(tier).isUnlimited()
                || tierAttempt < policy.tier(tier).attempts()) {
            nextTier = tier;
            nextTierAttempt = tierAttempt + 1;
        } else if (tier < policy.tiers().size()) {
            nextTier = tier + 1;
            nextTierAttempt = 1;
        } else {
            return new RetryDecision.DeadLetter(
                    "retries exhausted after " + attempts + " attempts: " + failure.message());
        }
        // saturate: an uncapped backoff with jitter can reach Long.MAX_VALUE, and a wrapped sum
        // would be a due time in the past
        long due = Millis.add(now, delayMillis(policy.tier(nextTier), nextTierAttempt));
        // a hint only ever pushes the retry later, and never further than max-retry-after
        due = Math.max(due, Hints.notBefore(failure, now, maxRetryAfter));
        return new RetryDecision.Retry(nextTier, nextTierAttempt, due);
    }

    private long delayMillis(Tier tier, int tierAttempt) {
        Duration delay = policy.backoff().delay(tier.delay(), tierAttempt, random);
        long millis = Millis.of(delay);
        if (policy.jitter() > 0) {
            long extra = (long) (millis * policy.jitter());
            millis = Millis.add(millis, extra <= 0 ? 0 : random.nextLong(Millis.add(extra, 1)));
        }
        return millis;
    }
}
