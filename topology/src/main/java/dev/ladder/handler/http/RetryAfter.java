package dev.ladder.handler.http;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a {@code Retry-After} header value (RFC 9110 §10.2.3): delay-seconds, or an HTTP-date in
 * any of the three formats a recipient must accept (IMF-fixdate, RFC 850, asctime).
 */
public final class RetryAfter {

    private static final DateTimeFormatter ASCTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.US);

    private RetryAfter() {}

    // RFC 9110: a two-digit year that would be more than 50 years ahead is in the past century.
    // The weekday is checked against the date, so the century must be right while parsing.
    private static DateTimeFormatter rfc850(Instant now) {
        int year = now.atZone(ZoneOffset.UTC).getYear();
        return new DateTimeFormatterBuilder()
                .appendPattern("EEEE, dd-MMM-")
                .appendValueReduced(ChronoField.YEAR, 2, 2, year - 49)
                .appendPattern(" HH:mm:ss 'GMT'")
                .toFormatter(Locale.US);
    }

    /**
     * The instant a {@code Retry-After} value points at.
     *
     * @param value the header value, or null
     * @param clock the clock "now" is read from (delay-seconds count from it)
     * @return the instant; empty when the value is absent, unreadable, or already in the past
     */
    public static Optional<Instant> parse(String value, Clock clock) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String v = value.trim();
        Instant now = clock.instant();
        if (v.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(now.plusSeconds(Long.parseLong(v)));
            } catch (NumberFormatException | ArithmeticException | DateTimeException e) {
                return Optional.empty(); // absurdly large: treat as no hint rather than never
            }
        }
        return date(v, now).filter(at -> at.isAfter(now));
    }

    private static Optional<Instant> date(String v, Instant now) {
        try {
            return Optional.of(
                    ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeParseException ignored) {
            // try the obsolete formats below
        }
        try {
            return Optional.of(LocalDateTime.parse(v, rfc850(now)).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException ignored) {
            // try asctime
        }
        try {
            return Optional.of(LocalDateTime.parse(v, ASCTIME).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException ignored) {
            // not a date at all
        }
        return Optional.empty();
    }
}
