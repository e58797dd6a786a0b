package dev.ladder.handler.http;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a {@code Retry-After} header value (RFC 9110 §10.2.3): delay-seconds, or an HTTP-date in
 * any of the three formats a recipient must accept (IMF-fixdate, RFC 850, asctime).
 *
 * <p>A header is input from someone else's server, so nothing here throws: a value that is not
 * one of those forms (negative, fractional, signed, garbage) is no hint. A value beyond what an
 * epoch-millisecond {@code long} can hold is saturated at the largest one that can, so a bigger value never
 * means an earlier retry; bounding the delay to what Ladder honours is the consumer's job
 * ({@code retry.max-retry-after}).
 */
public final class RetryAfter {

    /** The latest instant {@link #parse} returns: the largest epoch-millisecond value. */
    static final Instant LATEST = Instant.ofEpochMilli(Long.MAX_VALUE);

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
     * The instant a {@code Retry-After} value points at. Never throws.
     *
     * @param value the header value, or null
     * @param clock the clock "now" is read from (delay-seconds count from it)
     * @return the instant, at most {@code Instant.ofEpochMilli(Long.MAX_VALUE)}; empty when the
     *     value is absent, unreadable, or a date already in the past
     */
    public static Optional<Instant> parse(String value, Clock clock) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        // trim() also strips control characters, which isBlank() does not count as blank
        String v = value.trim();
        if (v.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return Optional.of(afterSeconds(now, v));
        }
        return date(v, now).filter(at -> at.isAfter(now)).map(RetryAfter::saturate);
    }

    /**
     * The instant several {@code Retry-After} fields point at. The field is a singleton, so more
     * than one is the sender's error; the latest readable one wins, because a retry that comes too
     * late costs a delay and one that comes too early costs another rejected call. Never throws.
     *
     * @param values every value of the header, in order; may be empty
     * @param clock the clock "now" is read from
     * @return the latest readable instant; empty when none is readable
     */
    public static Optional<Instant> parse(List<String> values, Clock clock) {
        Optional<Instant> latest = Optional.empty();
        for (String value : values) {
            Optional<Instant> at = parse(value, clock);
            if (at.isPresent() && (latest.isEmpty() || at.get().isAfter(latest.get()))) {
                latest = at;
            }
        }
        return latest;
    }

    private static Instant afterSeconds(Instant now, String digits) {
        try {
            return saturate(now.plusSeconds(Long.parseLong(digits)));
        } catch (NumberFormatException | ArithmeticException | DateTimeException e) {
            return LATEST; // more seconds than a long or an Instant holds: as late as can be
        }
    }

    private static Instant saturate(Instant at) {
        return at.isAfter(LATEST) ? LATEST : at;
    }

    private static Optional<Instant> date(String v, Instant now) {
        try {
            return Optional.of(
                    ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (DateTimeException ignored) {
            // try the obsolete formats below
        }
        try {
            return Optional.of(LocalDateTime.parse(v, rfc850(now)).toInstant(ZoneOffset.UTC));
        } catch (DateTimeException ignored) {
            // try asctime
        }
        try {
            return Optional.of(LocalDateTime.parse(v, ASCTIME).toInstant(ZoneOffset.UTC));
        } catch (DateTimeException ignored) {
            // not a date at all
        }
        return Optional.empty();
    }
}
