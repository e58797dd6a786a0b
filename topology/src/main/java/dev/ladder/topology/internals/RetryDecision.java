package dev.ladder.topology.internals;

/** What happens to an event after an attempt: the output of {@link RetryDecider}. */
sealed interface RetryDecision {

    /**
     * The event is done.
     *
     * @param forward true to write it to the output topic (success), false to drop it silently
     */
    record Complete(boolean forward) implements RetryDecision {}

    /**
     * Try again later.
     *
     * @param tier 1-based tier whose topic the event goes to
     * @param tierAttempt which attempt on that tier the next one is (1-based)
     * @param dueTime the earliest wall-clock time of the next attempt, epoch milliseconds
     */
    record Retry(int tier, int tierAttempt, long dueTime) implements RetryDecision {}

    /**
     * Give up: write the event to the dead-letter topic.
     *
     * @param reason why, for the record's {@code deadLetterReason} and the logs
     */
    record DeadLetter(String reason) implements RetryDecision {}
}
