package dev.ladder.handler;

import java.time.Instant;

/**
 * Thrown by a handler to say an attempt failed for a passing reason, optionally with the earliest
 * time to try again (which can only push the retry later, never earlier).
 */
public class RetryableException extends RuntimeException {

    private final transient Instant notBefore;

    public RetryableException(String message) {
        this(message, null, null);
    }

    public RetryableException(String message, Instant notBefore) {
        this(message, notBefore, null);
    }

    public RetryableException(String message, Instant notBefore, Throwable cause) {
        super(message, cause);
        this.notBefore = notBefore;
    }

    /** The earliest time to retry, or null. */
    public Instant notBefore() {
        return notBefore;
    }
}
