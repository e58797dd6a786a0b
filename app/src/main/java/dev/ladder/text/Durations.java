package dev.ladder.text;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in a config file: {@code 500ms}, {@code 30s}, {@code 5m},
 * {@code 2h}, {@code 7d}, or ISO-8601 such as {@code PT30S} and {@code P7D}.
 */
public final class Durations {

    /** What {@link #parse} accepts, for error messages. */
    public static final String ALLOWED = "a duration such as 500ms, 30s, 5m, 2h, 7d or PT30S";

    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private Durations() {}

    /**
     * Parses a duration.
     *
     * @throws IllegalArgumentException when the text is neither form
     */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty duration; expected " + ALLOWED);
        }
        String trimmed = text.trim();
        Matcher m = SHORT.matcher(trimmed);
        if (m.matches()) {
            long amount;
            try {
                amount = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("duration out of range: " + text, e);
            }
            switch (m.group(2)) {
                case "ms":
                    return Duration.ofMillis(amount);
                case "s":
                    return Duration.ofSeconds(amount);
                case "m":
                    return Duration.ofMinutes(amount);
                case "h":
                    return Duration.ofHours(amount);
                default:
                    return Duration.ofDays(amount);
            }
        }
        if (trimmed.startsWith("P") || trimmed.startsWith("p")) {
            try {
                return Duration.parse(trimmed);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("not an ISO-8601 duration: " + text, e);
            }
        }
        throw new IllegalArgumentException("not a duration: " + text + "; expected " + ALLOWED);
    }

    /** The shortest exact short form: {@code 90s} stays {@code 90s}, {@code 120s} becomes {@code 2m}. */
    public static String format(Duration duration) {
        long ms = duration.toMillis();
        if (ms == 0 || ms % 1_000L != 0) {
            return ms + "ms";
        }
        long[] units = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
        String[] names = {"d", "h", "m", "s"};
        for (int i = 0; i < units.length; i++) {
            if (ms % units[i] == 0) {
                return ms / units[i] + names[i];
            }
        }
        return ms + "ms";
    }
}
