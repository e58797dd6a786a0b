package dev.ladder.topology.internals;

import dev.ladder.avro.ErrorRecord;
import dev.ladder.avro.RetryEnvelope;
import dev.ladder.policy.Backoff;
import dev.ladder.policy.LadderSettings;
import dev.ladder.policy.Millis;
import dev.ladder.policy.RetryPolicy;
import dev.ladder.policy.Tier;
import dev.ladder.serde.Envelopes;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * Checks a decoded tier record for values no Ladder writes. A record that decodes is not yet a
 * record Ladder can run: a negative partition makes the sink throw, a negative timestamp makes
 * Kafka Streams refuse the output record, a due time in the year 30000 blocks its key for ever,
 * and counters at {@code Integer.MAX_VALUE} wrap. Such records go to the dead-letter topic with the
 * reason, bytes untouched, like records that do not decode at all.
 */
final class EnvelopeChecks {

    /**
     * How far beyond the longest delay the current policy can produce a due time may lie: room for
     * records written under a policy with longer delays, and for a clock that was wrong.
     */
    static final Duration DUE_MARGIN = Duration.ofDays(7);

    private EnvelopeChecks() {}

    /**
     * Why the envelope of a tier record cannot be run, or null when it can.
     *
     * @param recordKey the key of the Kafka record that carried it
     * @param now the current time, epoch milliseconds
     */
    static String problem(RetryEnvelope envelope, byte[] recordKey, long now, LadderSettings settings) {
        if (envelope.getEventId().isEmpty()) {
            return "empty event id";
        }
        if (!Arrays.equals(Envelopes.bytes(envelope.getKey()), recordKey)) {
            return "the envelope's key differs from the record's key";
        }
        if (envelope.getOriginalPartition() < 0 || envelope.getOriginalOffset() < 0) {
            return "negative original partition or offset (" + envelope.getOriginalPartition() + "@"
                    + envelope.getOriginalOffset() + ")";
        }
        if (envelope.getOriginalTimestamp() < 0 || envelope.getFirstAttemptTime() < 0) {
            return "negative original timestamp or first attempt time (" + envelope.getOriginalTimestamp() + ", "
                    + envelope.getFirstAttemptTime() + ")";
        }
        String counters = counters(envelope);
        if (counters != null) {
            return counters;
        }
        Long due = envelope.getDueTime();
        if (due == null || due < 0) {
            return "due time " + due + " (a retry always has one, after 1970)";
        }
        long latest = latestDue(now, settings);
        if (due > latest) {
            return "due time " + Instant.ofEpochMilli(due) + " is beyond the longest delay the policy can produce"
                    + " (latest " + Instant.ofEpochMilli(latest) + ")";
        }
        return null;
    }

    private static String counters(RetryEnvelope envelope) {
        int attempts = envelope.getAttempts();
        int tierAttempt = envelope.getTierAttempt();
        if (attempts < 0 || attempts == Integer.MAX_VALUE) {
            return "impossible attempt count " + attempts;
        }
        if (envelope.getTier() < 1) {
            return "tier " + envelope.getTier() + " on a tier topic";
        }
        // every earlier attempt on the tier is also one of the event's attempts
        if (tierAttempt < 1 || tierAttempt > attempts + 1) {
            return "impossible tier attempt " + tierAttempt + " after " + attempts + " attempts";
        }
        if (envelope.getErrorsElided() < 0 || envelope.getDeferrals() < 0) {
            return "negative errorsElided or deferrals (" + envelope.getErrorsElided() + ", " + envelope.getDeferrals()
                    + ")";
        }
        for (ErrorRecord error : envelope.getErrors()) {
            if (error.getTier() < 0 || error.getAttempt() < 0) {
                return "error record with tier " + error.getTier() + " and attempt " + error.getAttempt();
            }
        }
        return null;
    }

    /** The latest due time a retry written now could have, plus {@link #DUE_MARGIN}; saturating. */
    static long latestDue(long now, LadderSettings settings) {
        RetryPolicy policy = settings.policy();
        long longest = Millis.of(settings.maxRetryAfter());
        for (Tier tier : policy.tiers()) {
            long delay = longestDelay(policy.backoff(), tier.delay());
            longest = Math.max(longest, Millis.add(delay, (long) (delay * policy.jitter())));
        }
        return Millis.add(now, Millis.add(longest, Millis.of(DUE_MARGIN)));
    }

    /** The longest delay a backoff gives on a tier; Long.MAX_VALUE when it has no cap. */
    private static long longestDelay(Backoff backoff, Duration base) {
        long millis = Millis.of(base);
        if (backoff instanceof Backoff.Linear linear) {
            return linear.max() == null ? Long.MAX_VALUE : Math.max(millis, Millis.of(linear.max()));
        }
        if (backoff instanceof Backoff.Exponential exponential) {
            if (exponential.max() != null) {
                return Math.max(millis, Millis.of(exponential.max()));
            }
            return exponential.multiplier() == 1.0 ? millis : Long.MAX_VALUE;
        }
        if (backoff instanceof Backoff.Random random) {
            double high = millis * random.spread();
            return high >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) high;
        }
        return millis;
    }
}
