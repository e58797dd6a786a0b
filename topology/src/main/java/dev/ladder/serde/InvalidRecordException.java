package dev.ladder.serde;

/** A record Ladder cannot read; the message says why, for the dead-letter record's reason. */
public class InvalidRecordException extends RuntimeException {

    public InvalidRecordException(String message) {
        super(message);
    }

    public InvalidRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
