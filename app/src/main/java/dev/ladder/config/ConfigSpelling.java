package dev.ladder.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ladder.policy.InvalidPolicyException;
import dev.ladder.text.Durations;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Words a settings problem the way the user wrote the file. The settings only know values
 * ({@code PT0.5S}); the file said {@code 500ms}, and that is what an error should quote back.
 */
final class ConfigSpelling {

    private static final Pattern STEP = Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)]");
    // Duration.toString() forms, e.g. PT0.5S, PT-1S, P7D, PT1H30M
    private static final Pattern ISO_DURATION = Pattern.compile("(?<![\\w'])P(?:\\d+D)?(?:T[-\\d.HMS]+)?(?![\\w'])");

    private ConfigSpelling() {}

    /**
     * The problem with the value it names quoted as written at its key in {@code root}, when that
     * is the same value; any other duration in it in the short form ({@code 1s}, not {@code PT1S}).
     */
    static InvalidPolicyException asWritten(InvalidPolicyException problem, JsonNode root) {
        String text = problem.problem();
        JsonNode written = at(root, problem.setting());
        if (text.startsWith("is ") && written != null && written.isValueNode()) {
            int end = text.indexOf(' ', 3);
            String shown = end < 0 ? text.substring(3) : text.substring(3, end);
            String rest = end < 0 ? "" : text.substring(end);
            if (shown.endsWith(",")) {
                shown = shown.substring(0, shown.length() - 1);
                rest = "," + rest;
            }
            if (sameValue(shown, written.asText())) {
                text = "is '" + written.asText() + "'" + rest;
            }
        }
        text = shortDurations(text);
        if (text.equals(problem.problem())) {
            return problem;
        }
        return new InvalidPolicyException(problem.setting(), text, problem.allowed());
    }

    /** The node at a key path such as {@code retry.tiers[1].delay}, or null. */
    static JsonNode at(JsonNode root, String path) {
        JsonNode node = root;
        Matcher m = STEP.matcher(path);
        while (node != null && m.find()) {
            node = m.group(1) != null ? node.get(m.group(1)) : node.get(Integer.parseInt(m.group(2)));
        }
        return node;
    }

    private static boolean sameValue(String shown, String written) {
        if (shown.equals(written)) {
            return true;
        }
        Duration a = duration(shown);
        if (a != null) {
            return a.equals(duration(written));
        }
        try {
            return Double.parseDouble(shown) == Double.parseDouble(written.trim());
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static Duration duration(String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            return null;
        }
    }

    private static String shortDurations(String text) {
        Matcher m = ISO_DURATION.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Duration d = duration(m.group());
            m.appendReplacement(out, Matcher.quoteReplacement(d == null ? m.group() : Durations.format(d)));
        }
        return m.appendTail(out).toString();
    }
}
