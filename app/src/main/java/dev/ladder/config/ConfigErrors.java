package dev.ladder.config;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.ladder.text.Durations;
import dev.ladder.text.Redaction;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** Turns Jackson's binding errors into a {@link ConfigException} a person can act on. */
final class ConfigErrors {

    private ConfigErrors() {}

    /**
     * @param where the origin of a key path (file line or environment variable), or null
     * @param secrets key paths whose values came from secret references and must not be shown
     */
    static ConfigException translate(JsonMappingException e, Function<String, String> where, Set<String> secrets) {
        String path = path(e.getPath());
        if (e instanceof UnrecognizedPropertyException u) {
            List<String> known = u.getKnownPropertyIds().stream()
                    .map(String::valueOf)
                    .sorted()
                    .toList();
            String allowed = Suggestions.nearest(u.getPropertyName(), known)
                    .map(s -> "did you mean '" + s + "'? Known keys here: " + known)
                    .orElse("one of " + known);
            return new ConfigException(path, where.apply(path), "is not a known key", allowed, null);
        }
        String shown = secrets.contains(path) ? Redaction.REDACTED : null;
        if (e instanceof ConfigJackson.BadValueException b) {
            return new ConfigException(
                    path, where.apply(path), "is '" + (shown != null ? shown : b.getValue()) + "'", b.allowed, null);
        }
        if (e instanceof InvalidFormatException f) {
            String value = shown != null ? shown : String.valueOf(f.getValue());
            return new ConfigException(path, where.apply(path), "is '" + value + "'", allowed(f.getTargetType()), null);
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            return new ConfigException(path, where.apply(path), "has the wrong type", allowed(m.getTargetType()), null);
        }
        Throwable cause = e.getCause() == null ? e : e.getCause();
        return new ConfigException(
                path.isEmpty() ? "configuration" : path,
                where.apply(path),
                "cannot be used (" + cause.getClass().getSimpleName() + ")",
                "see docs/configuration.md",
                null);
    }

    /** {@code retry.tiers[1].delay} from Jackson's reference chain. */
    static String path(List<JsonMappingException.Reference> references) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : references) {
            if (ref.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    /** What a value of this Java type may look like in the file. */
    static String allowed(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Duration.class) {
            return Durations.ALLOWED;
        }
        if (type.isEnum()) {
            return "one of "
                    + Arrays.stream(type.getEnumConstants())
                            .map(c -> ConfigJackson.name((Enum<?>) c))
                            .toList();
        }
        if (Map.class.isAssignableFrom(type)) {
            return "a map of key: value entries";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list, e.g. [a, b]";
        }
        if (type.isRecord()) {
            return "a section of key: value entries";
        }
        return "a single text value";
    }
}
