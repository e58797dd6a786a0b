package dev.ladder.app.dlt;

import dev.ladder.text.Durations;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Which dead letters a command looks at. Every criterion that is set must match; an empty filter
 * matches everything.
 *
 * @param key the key as UTF-8 text (or {@code base64:...} for a binary key), exactly
 * @param since dead-lettered at or after this instant
 * @param until dead-lettered before this instant
 * @param exception a substring of the exception class that killed it (or, for a failure without an
 *     exception, of its kind such as {@code PERMANENT}), case-insensitive
 * @param httpStatus the HTTP status of its last attempt
 */
public record DeadLetterFilter(String key, Instant since, Instant until, String exception, Integer httpStatus) {

    /** A filter that matches everything. */
    public static final DeadLetterFilter NONE = new DeadLetterFilter(null, null, null, null, null);

    /** True when no criterion is set. */
    public boolean isEmpty() {
        return key == null && since == null && until == null && exception == null && httpStatus == null;
    }

    /** True when the dead letter meets every criterion that is set. */
    public boolean matches(DeadLetter d) {
        if (key != null && !key.equals(d.keyText())) {
            return false;
        }
        Instant time = d.time();
        if (since != null && time.isBefore(since)) {
            return false;
        }
        if (until != null && !time.isBefore(until)) {
            return false;
        }
        if (exception != null
                && (d.exceptionClass() == null
                        || !d.exceptionClass().toLowerCase(Locale.ROOT).contains(exception.toLowerCase(Locale.ROOT)))) {
            return false;
        }
        return httpStatus == null || httpStatus.equals(d.httpStatus());
    }

    /**
     * Parses a point in time: an ISO-8601 instant ({@code 2024-05-01T12:00:00Z}) or a duration ago
     * ({@code 2h}, {@code 30m}, {@code 7d}, {@code PT90M}).
     *
     * @throws IllegalArgumentException when the text is neither
     */
    public static Instant parseTime(String text, Instant now) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text.trim());
        } catch (DateTimeParseException notAnInstant) {
            try {
                return now.minus(Durations.parse(text));
            } catch (IllegalArgumentException notADuration) {
                throw new IllegalArgumentException("'" + text
                        + "' is neither an ISO instant (2024-05-01T12:00:00Z) nor a duration ago (2h, 30m, 7d)");
            }
        }
    }
}
