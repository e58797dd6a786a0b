package dev.ladder.policy;

import dev.ladder.handler.ExceptionClassifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What to do with a failed event: the tiers it climbs, how the delay grows, what is never retried.
 *
 * @param tiers the retry tiers in climbing order; at least one
 * @param backoff how the delay grows across the attempts of a tier
 * @param jitter extra random delay as a fraction of the computed delay, in [0, 1]; only ever adds
 * @param immediateRetries quick re-tries inside one attempt, before the event goes to a tier
 * @param immediatePause pause between immediate retries
 * @param maxAge dead-letter an event whose first attempt is older than this, or null for no limit
 * @param classifier decides which thrown exceptions are transient and which permanent
 */
public record RetryPolicy(
        List<Tier> tiers,
        Backoff backoff,
        double jitter,
        int immediateRetries,
        Duration immediatePause,
        Duration maxAge,
        ExceptionClassifier classifier) {

    public RetryPolicy {
        tiers = List.copyOf(Objects.requireNonNull(tiers, "tiers"));
        Objects.requireNonNull(backoff, "backoff");
        Objects.requireNonNull(immediatePause, "immediatePause");
        Objects.requireNonNull(classifier, "classifier");
    }

    /** Default pause between immediate retries: 100 ms. */
    public static final Duration DEFAULT_IMMEDIATE_PAUSE = Duration.ofMillis(100);

    /** A policy with fixed delays, no jitter, no immediate retries and the default classifier. */
    public static RetryPolicy of(Tier... tiers) {
        return new RetryPolicy(
                List.of(tiers),
                new Backoff.Fixed(),
                0.0,
                0,
                DEFAULT_IMMEDIATE_PAUSE,
                null,
                ExceptionClassifier.defaults());
    }

    public RetryPolicy withBackoff(Backoff value) {
        return new RetryPolicy(tiers, value, jitter, immediateRetries, immediatePause, maxAge, classifier);
    }

    public RetryPolicy withJitter(double value) {
        return new RetryPolicy(tiers, backoff, value, immediateRetries, immediatePause, maxAge, classifier);
    }

    public RetryPolicy withImmediateRetries(int count, Duration pause) {
        return new RetryPolicy(tiers, backoff, jitter, count, pause, maxAge, classifier);
    }

    public RetryPolicy withMaxAge(Duration value) {
        return new RetryPolicy(tiers, backoff, jitter, immediateRetries, immediatePause, value, classifier);
    }

    public RetryPolicy withClassifier(ExceptionClassifier value) {
        return new RetryPolicy(tiers, backoff, jitter, immediateRetries, immediatePause, maxAge, value);
    }

    /** The tier with the given 1-based index. */
    public Tier tier(int index) {
        return tiers.get(index - 1);
    }

    /**
     * Checks the policy against what the topology can honour.
     *
     * @param punctuationInterval how often due retries are looked for; no tier may be shorter
     * @throws InvalidPolicyException naming the setting and what is allowed (the first of
     *     {@link #problems}, the others suppressed)
     */
    public void validate(Duration punctuationInterval) {
        InvalidPolicyException.throwIfAny(problems(punctuationInterval));
    }

    /**
     * Every problem of the policy, so a configuration with several mistakes is fixed in one go.
     *
     * @param punctuationInterval how often due retries are looked for; no tier may be shorter
     */
    public List<InvalidPolicyException> problems(Duration punctuationInterval) {
        List<InvalidPolicyException> problems = new ArrayList<>();
        if (tiers.isEmpty()) {
            problems.add(new InvalidPolicyException(
                    "retry.tiers", "is empty", "at least one tier, e.g. {delay: 1m, attempts: 3}"));
        }
        for (int i = 0; i < tiers.size(); i++) {
            Tier tier = tiers.get(i);
            String name = "retry.tiers[" + i + "]";
            if (tier.delay().isZero() || tier.delay().isNegative()) {
                problems.add(new InvalidPolicyException(
                        name + ".delay", "is " + tier.delay(), "a positive duration such as 30s or 1m"));
            } else if (tier.delay().compareTo(punctuationInterval) < 0) {
                problems.add(new InvalidPolicyException(
                        name + ".delay",
                        "is " + tier.delay() + ", shorter than punctuation-interval " + punctuationInterval,
                        "a delay of at least the punctuation interval, or a shorter punctuation-interval"));
            }
            if (tier.isUnlimited() && i != tiers.size() - 1) {
                problems.add(new InvalidPolicyException(
                        name + ".attempts",
                        "is unlimited on a tier that is not the last",
                        "unlimited only on the last tier"));
            }
            if (!tier.isUnlimited() && tier.attempts() < 1) {
                problems.add(new InvalidPolicyException(
                        name + ".attempts",
                        "is " + tier.attempts(),
                        "a whole number of at least 1, or 'unlimited' on the last tier"));
            }
        }
        if (Double.isNaN(jitter) || jitter < 0 || jitter > 1) {
            problems.add(new InvalidPolicyException("retry.backoff.jitter", "is " + jitter, "a fraction from 0 to 1"));
        }
        if (immediateRetries < 0) {
            problems.add(new InvalidPolicyException("retry.immediate.attempts", "is " + immediateRetries, "0 or more"));
        }
        if (immediatePause.isNegative()) {
            problems.add(new InvalidPolicyException(
                    "retry.immediate.pause", "is " + immediatePause, "zero or a positive duration"));
        }
        if (maxAge != null && (maxAge.isZero() || maxAge.isNegative())) {
            problems.add(new InvalidPolicyException(
                    "retry.max-age", "is " + maxAge, "a positive duration, or leave it out for no limit"));
        }
        if (backoff instanceof Backoff.Exponential e && !(e.multiplier() >= 1.0)) {
            problems.add(new InvalidPolicyException(
                    "retry.backoff.multiplier", "is " + e.multiplier(), "a number of at least 1"));
        }
        if (backoff instanceof Backoff.Random r && !(r.spread() >= 1.0)) {
            problems.add(
                    new InvalidPolicyException("retry.backoff.spread", "is " + r.spread(), "a number of at least 1"));
        }
        return problems;
    }
}
