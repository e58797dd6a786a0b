package dev.ladder.config;

import dev.ladder.handler.ExceptionClassifier;
import dev.ladder.policy.InvalidPolicyException;
import dev.ladder.policy.LadderSettings;
import dev.ladder.policy.RetryPolicy;
import dev.ladder.policy.Tier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code retry:} section: the ladder's tiers, backoff, immediate retries and classification.
 *
 * @param tiers the tiers in climbing order, at least one; default those of
 *     {@link LadderSettings#DEFAULT_POLICY}: 1m, 5m, 30m with 1 attempt each
 * @param backoff how the delay grows within a tier
 * @param immediate quick re-tries before an event goes to a tier
 * @param maxAge dead-letter an event whose first attempt is older than this; default no limit
 * @param maxRetryAfter the longest delay a handler's {@code Retry-After} is honoured for (a longer
 *     one is cut to it); default {@link LadderSettings#DEFAULT_MAX_RETRY_AFTER}, at most 7d
 * @param nonRetryable exception class names that go straight to the dead-letter topic, added to
 *     {@link ExceptionClassifier#DEFAULT_NON_RETRYABLE}
 * @param retryable exception class names that are always retried
 * @param defaultRetryable whether an exception on neither list is retried; default that of
 *     {@link ExceptionClassifier#defaults()}: true
 */
public record RetryConfig(
        List<TierConfig> tiers,
        BackoffConfig backoff,
        ImmediateConfig immediate,
        Duration maxAge,
        Duration maxRetryAfter,
        List<String> nonRetryable,
        List<String> retryable,
        Boolean defaultRetryable) {

    /** The tiers used when {@code retry.tiers} is left out: those of {@link LadderSettings#DEFAULT_POLICY}. */
    public static final List<TierConfig> DEFAULT_TIERS = LadderSettings.DEFAULT_POLICY.tiers().stream()
            .map(t -> new TierConfig(t.delay(), t.attempts()))
            .toList();

    public RetryConfig {
        tiers = tiers == null ? DEFAULT_TIERS : List.copyOf(tiers);
        backoff = backoff == null ? new BackoffConfig(null, null, null, null, null) : backoff;
        immediate = immediate == null ? new ImmediateConfig(null, null) : immediate;
        maxRetryAfter = maxRetryAfter == null ? LadderSettings.DEFAULT_MAX_RETRY_AFTER : maxRetryAfter;
        nonRetryable = nonRetryable == null ? List.of() : List.copyOf(nonRetryable);
        retryable = retryable == null ? List.of() : List.copyOf(retryable);
        defaultRetryable = defaultRetryable == null
                ? LadderSettings.DEFAULT_POLICY.classifier().defaultRetryable()
                : defaultRetryable;
    }

    /** An all-defaults section. */
    static RetryConfig defaults() {
        return new RetryConfig(null, null, null, null, null, null, null, null);
    }

    /** The retry policy; a tier without a delay adds a problem. */
    RetryPolicy toPolicy(List<InvalidPolicyException> problems) {
        List<Tier> rungs = new ArrayList<>();
        for (int i = 0; i < tiers.size(); i++) {
            rungs.add(tiers.get(i).toTier(i, problems));
        }
        Set<String> fatal = new LinkedHashSet<>(ExceptionClassifier.DEFAULT_NON_RETRYABLE);
        fatal.addAll(nonRetryable);
        ExceptionClassifier classifier = new ExceptionClassifier(fatal, Set.copyOf(retryable), defaultRetryable);
        return RetryPolicy.of(rungs.toArray(new Tier[0]))
                .withBackoff(backoff.toBackoff())
                .withJitter(backoff.jitter())
                .withImmediateRetries(immediate.attempts(), immediate.pause())
                .withMaxAge(maxAge)
                .withClassifier(classifier);
    }
}
