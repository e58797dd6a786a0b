package dev.ladder.topology;

import dev.ladder.downstream.BreakerSettings;
import dev.ladder.downstream.RateLimitSettings;
import dev.ladder.retry.InvalidPolicyException;
import dev.ladder.retry.RetryPolicy;
import dev.ladder.retry.Tier;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything that shapes the topology: topics, policy, ordering, idempotency and limits. Built
 * from the YAML configuration by the app, or directly by library users through {@link #builder}.
 *
 * @param topics every topic name
 * @param policy the retry policy
 * @param ordering per-key ordering or none
 * @param onDeadLetter what happens to a key's parked followers when its head is dead-lettered
 * @param eventIdHeader header carrying the event id; without it the id is topic-partition-offset
 * @param idempotencyRetention how long finished event ids are remembered for duplicate detection
 * @param punctuationInterval how often due retries are looked for (wall-clock)
 * @param handlerTimeout the longest one handler call may take; a timeout is a transient failure
 * @param history how much error history a record keeps
 * @param breaker when the downstream counts as down and calls stop
 * @param rateLimit how fast the downstream may be called
 * @param maxCheckpointBytes the largest stage checkpoint a handler may save
 * @param maxRetryAfter the longest delay a handler's not-before hint (an HTTP {@code Retry-After})
 *     is honoured for, by a retry's due time and by the 429 pause; a longer hint is cut to it
 *     ({@code retry.max-retry-after})
 * @param concurrency the most handler calls in flight per stream thread, shared evenly by its
 *     tasks; at most one per key under per-key ordering ({@code handler.concurrency})
 * @param deadLetterRetention how long the dead-letter topic Ladder creates keeps records; null
 *     keeps them for ever ({@code topics.dead-letter-retention})
 * @param maxMessageBytes the largest record Ladder writes to its tier, dead-letter and changelog
 *     topics, and the {@code max.message.bytes} it creates them with; an envelope that would be
 *     larger is shrunk, or dead-lettered without its original ({@code topics.max-message-bytes};
 *     see {@link TopicConfigs})
 */
public record LadderSettings(
        TopicNames topics,
        RetryPolicy policy,
        Ordering ordering,
        DeadKeyPolicy onDeadLetter,
        String eventIdHeader,
        Duration idempotencyRetention,
        Duration punctuationInterval,
        Duration handlerTimeout,
        HistoryLimits history,
        BreakerSettings breaker,
        RateLimitSettings rateLimit,
        int maxCheckpointBytes,
        Duration maxRetryAfter,
        int concurrency,
        Duration deadLetterRetention,
        int maxMessageBytes) {

    /**
     * Default of {@link #concurrency}: 64 calls in flight per stream thread, the budget Parallel
     * Consumer users know; measured in docs/benchmarks.md (scenario 3 at 1, 8, 32, 64 and 128).
     */
    public static final int DEFAULT_CONCURRENCY = 64;

    /** Upper bound of {@link #concurrency}. */
    public static final int MAX_CONCURRENCY = 1024;

    /**
     * Default of {@link #maxRetryAfter}: 15 minutes. Long enough for the rate-limit windows and
     * maintenance answers a {@code Retry-After} usually carries (seconds to minutes); short enough
     * that a wrong or hostile value (a date in year 9999) costs a quarter of an hour, not a day.
     * The tier delays still apply: a hint only ever makes a retry later.
     */
    public static final Duration DEFAULT_MAX_RETRY_AFTER = Duration.ofMinutes(15);

    /** Upper bound of {@link #maxRetryAfter}: beyond a week a hint says "gone", not "later". */
    private static final Duration LONGEST_MAX_RETRY_AFTER = Duration.ofDays(7);

    /** Per-key ordering mode. */
    public enum Ordering {
        /** Later events of a key wait while an earlier one retries (the default). */
        PER_KEY,
        /** No ordering: every event retries on its own, for maximum speed. */
        NONE
    }

    /** What happens to a key's followers when its head is dead-lettered. */
    public enum DeadKeyPolicy {
        /** The followers go on (the default). */
        RELEASE,
        /** The key stays blocked until an operator releases it. */
        HOLD
    }

    /**
     * Bounds on the error history, so a record never outgrows the broker's size limit.
     *
     * @param keepFirst error records kept from the start of the history
     * @param keepLast error records kept from the end of the history
     * @param maxMessageChars longest error message kept
     * @param maxStackTraceChars longest stack trace kept
     */
    public record HistoryLimits(int keepFirst, int keepLast, int maxMessageChars, int maxStackTraceChars) {

        /** 3 first, 10 last, 1,000-character messages, 4,000-character stack traces. */
        public static HistoryLimits defaults() {
            return new HistoryLimits(3, 10, 1_000, 4_000);
        }
    }

    public LadderSettings {
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(ordering, "ordering");
        Objects.requireNonNull(onDeadLetter, "onDeadLetter");
        Objects.requireNonNull(idempotencyRetention, "idempotencyRetention");
        Objects.requireNonNull(punctuationInterval, "punctuationInterval");
        Objects.requireNonNull(handlerTimeout, "handlerTimeout");
        Objects.requireNonNull(history, "history");
        Objects.requireNonNull(breaker, "breaker");
        Objects.requireNonNull(rateLimit, "rateLimit");
        Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
    }

    /**
     * Checks every setting; called when the topology is built.
     *
     * @throws InvalidPolicyException naming the setting and what is allowed
     */
    public void validate() {
        if (punctuationInterval.isZero() || punctuationInterval.isNegative()) {
            throw new InvalidPolicyException(
                    "punctuation-interval", "is " + punctuationInterval, "a positive duration such as 1s");
        }
        policy.validate(punctuationInterval);
        if (topics.tiers().size() != policy.tiers().size()) {
            throw new InvalidPolicyException(
                    "topics",
                    "names " + topics.tiers().size() + " tier topics for "
                            + policy.tiers().size() + " tiers",
                    "TopicNames built from the same tiers as the policy");
        }
        if (idempotencyRetention.isZero() || idempotencyRetention.isNegative()) {
            throw new InvalidPolicyException(
                    "idempotency.retention", "is " + idempotencyRetention, "a positive duration such as 7d");
        }
        if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
            throw new InvalidPolicyException(
                    "handler.concurrency", "is " + concurrency, "a whole number from 1 to " + MAX_CONCURRENCY);
        }
        if (handlerTimeout.isZero() || handlerTimeout.isNegative()) {
            throw new InvalidPolicyException(
                    "handler.timeout", "is " + handlerTimeout, "a positive duration such as 30s");
        }
        if (eventIdHeader != null && eventIdHeader.isBlank()) {
            throw new InvalidPolicyException("idempotency.header", "is blank", "a header name, or leave it out");
        }
        if (history.keepFirst() < 0 || history.keepLast() < 1) {
            throw new InvalidPolicyException(
                    "error-history",
                    "keeps " + history.keepFirst() + " first and " + history.keepLast() + " last",
                    "keep-first >= 0 and keep-last >= 1");
        }
        validateDownstream();
        if (maxCheckpointBytes < 0 || maxCheckpointBytes > 1_000_000) {
            throw new InvalidPolicyException(
                    "handler.max-checkpoint-bytes", "is " + maxCheckpointBytes, "0 to 1000000 bytes");
        }
        if (history.maxMessageChars() < 16 || history.maxStackTraceChars() < 0) {
            throw new InvalidPolicyException(
                    "error-history",
                    "limits messages to " + history.maxMessageChars() + " characters",
                    "max-message-chars >= 16 and max-stack-trace-chars >= 0");
        }
        if (!positive(maxRetryAfter) || maxRetryAfter.compareTo(LONGEST_MAX_RETRY_AFTER) > 0) {
            throw new InvalidPolicyException(
                    "retry.max-retry-after", "is " + maxRetryAfter, "a positive duration of at most 7d, e.g. 15m");
        }
        if (deadLetterRetention != null && !positive(deadLetterRetention)) {
            throw new InvalidPolicyException(
                    "topics.dead-letter-retention",
                    "is " + deadLetterRetention,
                    "a positive duration such as 90d, or 'forever'");
        }
        if (maxMessageBytes < TopicConfigs.MIN_MAX_MESSAGE_BYTES) {
            throw new InvalidPolicyException(
                    "topics.max-message-bytes",
                    "is " + maxMessageBytes,
                    "at least " + TopicConfigs.MIN_MAX_MESSAGE_BYTES + " bytes, or leave it out for "
                            + TopicConfigs.defaultMaxMessageBytes(history, maxCheckpointBytes)
                            + " (derived from error-history and handler.max-checkpoint-bytes)");
        }
    }

    private void validateDownstream() {
        if (breaker.enabled()) {
            if (breaker.window() < 1) {
                throw new InvalidPolicyException("breaker.window", "is " + breaker.window(), "at least 1 call");
            }
            if (breaker.minimumCalls() < 1 || breaker.minimumCalls() > breaker.window()) {
                throw new InvalidPolicyException(
                        "breaker.minimum-calls",
                        "is " + breaker.minimumCalls(),
                        "1 to breaker.window (" + breaker.window() + ")");
            }
            if (!(breaker.failureRateThreshold() > 0 && breaker.failureRateThreshold() <= 1)) {
                throw new InvalidPolicyException(
                        "breaker.failure-rate",
                        "is " + breaker.failureRateThreshold(),
                        "a fraction in (0, 1], e.g. 0.8");
            }
            if (!positive(breaker.openFor()) || !positive(breaker.probeInterval())) {
                throw new InvalidPolicyException(
                        "breaker.open-for",
                        "or breaker.probe-interval is not positive",
                        "positive durations such as 30s and 5s");
            }
            if (breaker.probes() < 1 || breaker.probes() > 100) {
                throw new InvalidPolicyException("breaker.probes", "is " + breaker.probes(), "1 to 100 probe calls");
            }
        }
        if (!(rateLimit.callsPerSecond() >= 0) || Double.isInfinite(rateLimit.callsPerSecond())) {
            throw new InvalidPolicyException(
                    "rate-limit.calls-per-second",
                    "is " + rateLimit.callsPerSecond(),
                    "0 (no limit) or a positive number");
        }
        if (!(rateLimit.drainRate() > 0) || Double.isInfinite(rateLimit.drainRate())) {
            throw new InvalidPolicyException(
                    "rate-limit.drain-rate", "is " + rateLimit.drainRate(), "a positive number of calls per second");
        }
    }

    private static boolean positive(Duration d) {
        return d != null && !d.isZero() && !d.isNegative();
    }

    /** A builder for the given main topic with Ladder's defaults. */
    public static Builder builder(String mainTopic) {
        return new Builder(mainTopic);
    }

    /** Builds {@link LadderSettings} with defaults for everything not set. */
    public static final class Builder {
        private final String main;
        private RetryPolicy policy = RetryPolicy.of(
                Tier.of(Duration.ofMinutes(1), 1),
                Tier.of(Duration.ofMinutes(5), 1),
                Tier.of(Duration.ofMinutes(30), 1));
        private String retryPattern = TopicNames.DEFAULT_RETRY_PATTERN;
        private String dltPattern = TopicNames.DEFAULT_DLT_PATTERN;
        private String outputPattern;
        private Ordering ordering = Ordering.PER_KEY;
        private DeadKeyPolicy onDeadLetter = DeadKeyPolicy.RELEASE;
        private String eventIdHeader = LadderHeaders.DEFAULT_EVENT_ID;
        private Duration retention = Duration.ofDays(7);
        private Duration punctuation = Duration.ofSeconds(1);
        private Duration timeout = Duration.ofSeconds(30);
        private HistoryLimits history = HistoryLimits.defaults();
        private BreakerSettings breaker = BreakerSettings.disabled();
        private RateLimitSettings rateLimit = RateLimitSettings.defaults();
        private int maxCheckpointBytes = 16 * 1024;
        private int concurrency = DEFAULT_CONCURRENCY;
        private Duration maxRetryAfter = DEFAULT_MAX_RETRY_AFTER;
        private Duration deadLetterRetention;
        private Integer maxMessageBytes;

        private Builder(String main) {
            this.main = main;
        }

        public Builder policy(RetryPolicy value) {
            this.policy = value;
            return this;
        }

        public Builder retryTopicPattern(String value) {
            this.retryPattern = value;
            return this;
        }

        public Builder deadLetterTopicPattern(String value) {
            this.dltPattern = value;
            return this;
        }

        /** Enables the success output topic with the given pattern (e.g. {@code {main}-out}). */
        public Builder outputTopicPattern(String value) {
            this.outputPattern = value;
            return this;
        }

        public Builder ordering(Ordering value) {
            this.ordering = value;
            return this;
        }

        public Builder onDeadLetter(DeadKeyPolicy value) {
            this.onDeadLetter = value;
            return this;
        }

        public Builder eventIdHeader(String value) {
            this.eventIdHeader = value;
            return this;
        }

        public Builder idempotencyRetention(Duration value) {
            this.retention = value;
            return this;
        }

        public Builder punctuationInterval(Duration value) {
            this.punctuation = value;
            return this;
        }

        public Builder handlerTimeout(Duration value) {
            this.timeout = value;
            return this;
        }

        public Builder history(HistoryLimits value) {
            this.history = value;
            return this;
        }

        /** The circuit breaker (off unless set; the YAML configuration turns it on by default). */
        public Builder breaker(BreakerSettings value) {
            this.breaker = value;
            return this;
        }

        public Builder rateLimit(RateLimitSettings value) {
            this.rateLimit = value;
            return this;
        }

        public Builder maxCheckpointBytes(int value) {
            this.maxCheckpointBytes = value;
            return this;
        }

        /** The most handler calls in flight per stream thread; default {@value LadderSettings#DEFAULT_CONCURRENCY}. */
        public Builder concurrency(int value) {
            this.concurrency = value;
            return this;
        }

        /** The longest delay a not-before hint is honoured for; default 15 minutes, at most 7 days. */
        public Builder maxRetryAfter(Duration value) {
            this.maxRetryAfter = value;
            return this;
        }

        /** How long the dead-letter topic keeps records; null (the default) keeps them for ever. */
        public Builder deadLetterRetention(Duration value) {
            this.deadLetterRetention = value;
            return this;
        }

        /**
         * The largest record Ladder writes to its own topics; null (the default) derives it from
         * the error-history and checkpoint limits ({@link TopicConfigs#defaultMaxMessageBytes}).
         */
        public Builder maxMessageBytes(Integer value) {
            this.maxMessageBytes = value;
            return this;
        }

        /** Builds and validates the settings. */
        public LadderSettings build() {
            TopicNames topics = TopicNames.of(main, policy.tiers(), retryPattern, dltPattern, outputPattern);
            LadderSettings settings = new LadderSettings(
                    topics,
                    policy,
                    ordering,
                    onDeadLetter,
                    eventIdHeader,
                    retention,
                    punctuation,
                    timeout,
                    history,
                    breaker,
                    rateLimit,
                    maxCheckpointBytes,
                    maxRetryAfter,
                    concurrency,
                    deadLetterRetention,
                    maxMessageBytes != null
                            ? maxMessageBytes
                            : TopicConfigs.defaultMaxMessageBytes(history, maxCheckpointBytes));
            settings.validate();
            return settings;
        }
    }
}
