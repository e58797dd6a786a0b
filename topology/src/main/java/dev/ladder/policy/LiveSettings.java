package dev.ladder.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The settings a running topology reads, swappable without a restart. The processor reads
 * {@link #get()} once per attempt, so a change applies to the next attempt atomically: retry
 * policy (tier delays and attempts, backoff, immediate retries, max age, non-retryable list),
 * max retry-after, handler timeout, error-history bounds, dead-letter key policy, idempotency
 * retention, circuit breaker and rate limit. Anything that shapes the topology (topics, the number
 * of tiers, ordering mode, event id header, punctuation interval) is refused with
 * {@link RestartRequiredException}.
 */
public final class LiveSettings {

    private final AtomicReference<LadderSettings> current;
    /** The transaction timeout the running topology was started with (see below). */
    private final long startTransactionTimeout;
    /** The idempotency retention the finished-ids store was built with (see below). */
    private final java.time.Duration startRetention;

    private final List<Consumer<LadderSettings>> listeners = new CopyOnWriteArrayList<>();

    public LiveSettings(LadderSettings initial) {
        initial.validate();
        this.current = new AtomicReference<>(initial);
        this.startTransactionTimeout = LadderSettings.transactionTimeoutMillis(initial);
        this.startRetention = initial.idempotencyRetention();
    }

    /** The settings in force. */
    public LadderSettings get() {
        return current.get();
    }

    /** Calls {@code listener} after every applied change. */
    public void onChange(Consumer<LadderSettings> listener) {
        listeners.add(listener);
    }

    /**
     * Applies new settings. Tier topics keep their names even when a tier's delay changes (the
     * running topology reads them); the new delay applies from the next retry.
     *
     * @return what changed, one line per setting (empty when nothing did)
     * @throws RestartRequiredException when a change needs a new topology
     * @throws dev.ladder.policy.InvalidPolicyException when the new settings are invalid
     */
    public synchronized List<String> update(LadderSettings next) {
        LadderSettings old = current.get();
        List<String> restart = new ArrayList<>();
        TopicNames a = old.topics();
        TopicNames b = next.topics();
        check(restart, "topics.main", a.main(), b.main());
        check(restart, "retry.tiers (count)", a.tiers().size(), b.tiers().size());
        check(restart, "topics.naming.dead-letter", a.deadLetter(), b.deadLetter());
        check(restart, "topics.output", a.output(), b.output());
        check(restart, "ordering.mode", old.ordering(), next.ordering());
        check(restart, "idempotency.header", old.eventIdHeader(), next.eventIdHeader());
        check(restart, "punctuation-interval", old.punctuationInterval(), next.punctuationInterval());
        long transactionTimeout = LadderSettings.transactionTimeoutMillis(next);
        if (transactionTimeout > startTransactionTimeout) {
            // the producer's transaction timeout was sized at start for the slowest attempt then;
            // a slower one live could outlast it and fence the producer
            restart.add("handler.timeout / retry.immediate (slowest attempt): needs a transaction timeout of "
                    + transactionTimeout + " ms, started with " + startTransactionTimeout + " ms");
        }
        if (next.idempotencyRetention().compareTo(startRetention) > 0) {
            // the finished-ids store drops what is older than the retention it was built with; a
            // shorter one applies live (lookups look no further back)
            restart.add("idempotency.retention longer than the "
                    + startRetention.toString().substring(2).toLowerCase(java.util.Locale.ROOT)
                    + " the running topology keeps finished ids for");
        }
        if (!restart.isEmpty()) {
            throw new RestartRequiredException(restart);
        }
        LadderSettings merged = new LadderSettings(
                a,
                next.policy(),
                old.ordering(),
                next.onDeadLetter(),
                old.eventIdHeader(),
                next.idempotencyRetention(),
                old.punctuationInterval(),
                next.handlerTimeout(),
                next.history(),
                next.breaker(),
                next.rateLimit(),
                next.maxCheckpointBytes(),
                next.maxRetryAfter(),
                next.concurrency(),
                // topic configs and the record size budget are set up at start: they apply at a restart
                old.deadLetterRetention(),
                old.maxMessageBytes());
        merged.validate();
        List<String> changes = new ArrayList<>();
        diff(changes, "retry", old.policy(), merged.policy());
        diff(changes, "retry.max-retry-after", old.maxRetryAfter(), merged.maxRetryAfter());
        diff(changes, "ordering.on-dead-letter", old.onDeadLetter(), merged.onDeadLetter());
        diff(changes, "idempotency.retention", old.idempotencyRetention(), merged.idempotencyRetention());
        diff(changes, "handler.timeout", old.handlerTimeout(), merged.handlerTimeout());
        diff(changes, "handler.concurrency", old.concurrency(), merged.concurrency());
        diff(changes, "error-history", old.history(), merged.history());
        diff(changes, "breaker", old.breaker(), merged.breaker());
        diff(changes, "rate-limit", old.rateLimit(), merged.rateLimit());
        diff(changes, "handler.max-checkpoint-bytes", old.maxCheckpointBytes(), merged.maxCheckpointBytes());
        if (!changes.isEmpty()) {
            current.set(merged);
            listeners.forEach(l -> l.accept(merged));
        }
        return changes;
    }

    private static void check(List<String> restart, String key, Object before, Object after) {
        if (!Objects.equals(before, after)) {
            restart.add(key + ": " + before + " -> " + after);
        }
    }

    private static void diff(List<String> changes, String key, Object before, Object after) {
        if (!Objects.equals(before, after)) {
            changes.add(key + ": " + before + " -> " + after);
        }
    }

    /** A change that only a restart (a new topology) can apply. */
    public static final class RestartRequiredException extends RuntimeException {
        private final List<String> settings;

        public RestartRequiredException(List<String> settings) {
            super("these settings change the topology and need a restart: " + String.join("; ", settings));
            this.settings = List.copyOf(settings);
        }

        /** The offending settings with their old and new values. */
        public List<String> settings() {
            return settings;
        }
    }
}
