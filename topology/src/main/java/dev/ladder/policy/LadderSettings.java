package dev.ladder.policy;

import dev.ladder.kernel.LadderHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    /** Default of {@link #policy}: three tiers, 1m, 5m and 30m, one attempt each. */
    public static final RetryPolicy DEFAULT_POLICY = RetryPolicy.of(
            Tier.of(Duration.ofMinutes(1), 1), Tier.of(Duration.ofMinutes(5), 1), Tier.of(Duration.ofMinutes(30), 1));

    /** Default of {@link #ordering}: per key. */
    public static final Ordering DEFAULT_ORDERING = Ordering.PER_KEY;

    /** Default of {@link #onDeadLetter}: the followers go on. */
    public static final DeadKeyPolicy DEFAULT_ON_DEAD_LETTER = DeadKeyPolicy.RELEASE;

    /** Default of {@link #idempotencyRetention}: 7 days. */
    public static final Duration DEFAULT_IDEMPOTENCY_RETENTION = Duration.ofDays(7);

    /** Default of {@link #punctuationInterval}: 1 second. */
    public static final Duration DEFAULT_PUNCTUATION_INTERVAL = Duration.ofSeconds(1);

    /** Default of {@link #handlerTimeout}: 30 seconds. */
    public static final Duration DEFAULT_HANDLER_TIMEOUT = Duration.ofSeconds(30);

    /** Default of {@link #maxCheckpointBytes}: 16 KiB. */
    public static final int DEFAULT_MAX_CHECKPOINT_BYTES = 16 * 1024;

    /** Upper bound of {@link #maxCheckpointBytes}. */
    public static final int MAX_CHECKPOINT_BYTES = 1_000_000;

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

        /** Every problem of these limits, keyed {@code error-history.*}. */
        public List<InvalidPolicyException> problems() {
            List<InvalidPolicyException> problems = new ArrayList<>();
            if (keepFirst < 0) {
                problems.add(new InvalidPolicyException("error-history.keep-first", "is " + keepFirst, "0 or more"));
            }
            if (keepLast < 1) {
                problems.add(new InvalidPolicyException("error-history.keep-last", "is " + keepLast, "at least 1"));
            }
            if (maxMessageChars < 16) {
                problems.add(new InvalidPolicyException(
                        "error-history.max-message-chars", "is " + maxMessageChars, "at least 16 characters"));
            }
            if (maxStackTraceChars < 0) {
                problems.add(new InvalidPolicyException(
                        "error-history.max-stack-trace-chars", "is " + maxStackTraceChars, "0 or more characters"));
            }
            return problems;
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
     * @throws InvalidPolicyException naming the setting and what is allowed (the first of
     *     {@link #problems()}, the others suppressed)
     */
    public void validate() {
        InvalidPolicyException.throwIfAny(problems());
    }

    /** Every problem of these settings, so a configuration with several mistakes is fixed in one go. */
    public List<InvalidPolicyException> problems() {
        List<InvalidPolicyException> problems = new ArrayList<>();
        if (!positive(punctuationInterval)) {
            problems.add(new InvalidPolicyException(
                    "punctuation-interval", "is " + show(punctuationInterval), "a positive duration such as 1s"));
        }
        problems.addAll(policy.problems(punctuationInterval));
        if (topics.tiers().size() != policy.tiers().size()) {
            problems.add(new InvalidPolicyException(
                    "topics",
                    "names " + topics.tiers().size() + " tier topics for "
                            + policy.tiers().size() + " tiers",
                    "TopicNames built from the same tiers as the policy"));
        }
        if (!positive(idempotencyRetention)) {
            problems.add(new InvalidPolicyException(
                    "idempotency.retention", "is " + show(idempotencyRetention), "a positive duration such as 7d"));
        }
        if (eventIdHeader != null && eventIdHeader.isBlank()) {
            problems.add(
                    new InvalidPolicyException("idempotency.header", "is blank", "a header name, or leave it out"));
        }
        if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
            problems.add(new InvalidPolicyException(
                    "handler.concurrency", "is " + concurrency, "a whole number from 1 to " + MAX_CONCURRENCY));
        }
        if (!positive(handlerTimeout)) {
            problems.add(new InvalidPolicyException(
                    "handler.timeout", "is " + show(handlerTimeout), "a positive duration such as 30s"));
        }
        if (maxCheckpointBytes < 0 || maxCheckpointBytes > MAX_CHECKPOINT_BYTES) {
            problems.add(new InvalidPolicyException(
                    "handler.max-checkpoint-bytes",
                    "is " + maxCheckpointBytes,
                    "0 to " + MAX_CHECKPOINT_BYTES + " bytes"));
        }
        problems.addAll(history.problems());
        problems.addAll(breaker.problems());
        problems.addAll(rateLimit.problems());
        if (!positive(maxRetryAfter) || maxRetryAfter.compareTo(LONGEST_MAX_RETRY_AFTER) > 0) {
            problems.add(new InvalidPolicyException(
                    "retry.max-retry-after",
                    "is " + show(maxRetryAfter),
                    "a positive duration of at most 7d, e.g. 15m"));
        }
        if (deadLetterRetention != null && !positive(deadLetterRetention)) {
            problems.add(new InvalidPolicyException(
                    "topics.dead-letter-retention",
                    "is " + show(deadLetterRetention),
                    "a positive duration such as 90d, or 'forever'"));
        }
        if (maxMessageBytes < TopicConfigs.MIN_MAX_MESSAGE_BYTES) {
            problems.add(new InvalidPolicyException(
                    "topics.max-message-bytes",
                    "is " + maxMessageBytes,
                    "at least " + TopicConfigs.MIN_MAX_MESSAGE_BYTES + " bytes, or leave it out for "
                            + TopicConfigs.defaultMaxMessageBytes(history, maxCheckpointBytes)
                            + " (derived from error-history and handler.max-checkpoint-bytes)"));
        }
        return problems;
    }

    /** A duration as a person writes it ({@code 500ms}, not {@code PT0.5S}). */
    static String show(Duration d) {
        try {
            return d.isNegative() || d.isZero() ? d.toMillis() + "ms" : TopicNames.formatDelay(d);
        } catch (ArithmeticException e) {
            return d.toString(); // beyond ±292 million years there are no milliseconds to show
        }
    }

    static boolean positive(Duration d) {
        return d != null && !d.isZero() && !d.isNegative();
    }

    /**
     * The producer transaction timeout these settings need: twice the slowest attempt (a
     * transaction may wait for one call to free a slot, then for the calls in flight at the
     * barrier) plus the 5 s a punctuation or barrier may spend starting calls, and a margin;
     * at least 1 minute, at most the broker's default cap of 15 minutes.
     */
    public static long transactionTimeoutMillis(LadderSettings settings) {
        long attempt =
                settings.handlerTimeout().toMillis() * (1L + settings.policy().immediateRetries())
                        + settings.policy().immediatePause().toMillis()
                                * settings.policy().immediateRetries();
        return Math.min(
                Duration.ofMinutes(15).toMillis(),
                Math.max(Duration.ofMinutes(1).toMillis(), 2 * attempt + 15_000));
    }

    /** A builder for the given main topic with Ladder's defaults. */
    public static Builder builder(String mainTopic) {
        return new Builder(mainTopic);
    }

    /** Builds {@link LadderSettings} with defaults for everything not set. */
    public static final class Builder {
        private final String main;
        private RetryPolicy policy = DEFAULT_POLICY;
        private String retryPattern = TopicNames.DEFAULT_RETRY_PATTERN;
        private String dltPattern = TopicNames.DEFAULT_DLT_PATTERN;
        private String outputPattern;
        private Ordering ordering = DEFAULT_ORDERING;
        private DeadKeyPolicy onDeadLetter = DEFAULT_ON_DEAD_LETTER;
        private String eventIdHeader = LadderHeaders.DEFAULT_EVENT_ID;
        private Duration retention = DEFAULT_IDEMPOTENCY_RETENTION;
        private Duration punctuation = DEFAULT_PUNCTUATION_INTERVAL;
        private Duration timeout = DEFAULT_HANDLER_TIMEOUT;
        private HistoryLimits history = HistoryLimits.defaults();
        private BreakerSettings breaker = BreakerSettings.defaults();
        private RateLimitSettings rateLimit = RateLimitSettings.defaults();
        private int maxCheckpointBytes = DEFAULT_MAX_CHECKPOINT_BYTES;
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

        /** The circuit breaker; on by default ({@link BreakerSettings#defaults()}). */
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

        /**
         * Builds and validates the settings.
         *
         * @throws InvalidPolicyException the first of {@link #problems()}, the others suppressed
         */
        public LadderSettings build() {
            InvalidPolicyException.throwIfAny(problems());
            return assemble(topicNames());
        }

        /**
         * Every problem of the settings as set so far, topic names included, without building
         * them: what a configuration check reports all at once.
         */
        public List<InvalidPolicyException> problems() {
            List<InvalidPolicyException> problems = new ArrayList<>();
            TopicNames topics;
            try {
                topics = topicNames();
            } catch (InvalidPolicyException e) {
                problems.add(e);
                // names that are always legal, so the other settings are still checked
                topics = TopicNames.of(
                        "main", policy.tiers(), "{main}-retry-{index}", TopicNames.DEFAULT_DLT_PATTERN, null);
            }
            problems.addAll(assemble(topics).problems());
            return problems;
        }

        private TopicNames topicNames() {
            return TopicNames.of(main, policy.tiers(), retryPattern, dltPattern, outputPattern);
        }

        private LadderSettings assemble(TopicNames topics) {
            return new LadderSettings(
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
        }
    }
}
