package dev.ladder.handler;

/**
 * Thrown by a handler to say an event can never succeed: it is dead-lettered at once, whatever the
 * classifier's lists say.
 */
public class NonRetryableException extends RuntimeException {

    public NonRetryableException(String message) {
        super(message);
    }

    public NonRetryableException(String message, Throwable cause) {
        super(message, cause);
    }
}
