package dev.ladder.handler;

import java.time.Instant;
import java.util.Optional;

/**
 * How one attempt of an event went. A handler returns one of these, or throws.
 *
 * <ul>
 *   <li>{@link Success}: done; the event goes to the output topic when one is configured.
 *   <li>{@link Drop}: done, deliberately without output (acknowledged and forgotten).
 *   <li>{@link Transient}: failed for a reason that may pass; retry on the ladder.
 *   <li>{@link Permanent}: failed for a reason that will not pass; dead-letter at once.
 * </ul>
 */
public sealed interface Outcome {

    /** Processing succeeded. */
    static Outcome success() {
        return Success.INSTANCE;
    }

    /** Acknowledge the event without output. */
    static Outcome drop(String reason) {
        return new Drop(reason);
    }

    /** A failure worth retrying. */
    static Transient retry(String message) {
        return new Transient(message, null, null, null);
    }

    /** A failure not worth retrying. */
    static Permanent fail(String message) {
        return new Permanent(message, null, null);
    }

    /** Processing succeeded. */
    enum Success implements Outcome {
        INSTANCE
    }

    /**
     * Done without output.
     *
     * @param reason why the event was dropped, for logs and status
     */
    record Drop(String reason) implements Outcome {}

    /**
     * A failure that may pass: the event climbs the ladder.
     *
     * @param message what went wrong
     * @param cause the exception, or null
     * @param httpStatus the HTTP status, or null
     * @param notBefore the earliest time the downstream wants to be called again (a
     *     {@code Retry-After}); it can only push the retry later than the policy's delay, never
     *     earlier. Null when there is no such hint.
     */
    record Transient(String message, Throwable cause, Integer httpStatus, Instant notBefore) implements Outcome {

        /** The same failure with a not-before hint. */
        public Transient withNotBefore(Instant hint) {
            return new Transient(message, cause, httpStatus, hint);
        }

        /** The same failure with an HTTP status. */
        public Transient withHttpStatus(int status) {
            return new Transient(message, cause, status, notBefore);
        }

        public Optional<Instant> notBeforeHint() {
            return Optional.ofNullable(notBefore);
        }
    }

    /**
     * A failure that will not pass: the event goes straight to the dead-letter topic.
     *
     * @param message what went wrong
     * @param cause the exception, or null
     * @param httpStatus the HTTP status, or null
     */
    record Permanent(String message, Throwable cause, Integer httpStatus) implements Outcome {

        /** The same failure with an HTTP status. */
        public Permanent withHttpStatus(int status) {
            return new Permanent(message, cause, status);
        }
    }
}
