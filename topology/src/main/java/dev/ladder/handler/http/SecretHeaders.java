package dev.ladder.handler.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Knows which request headers carry secrets and scrubs their values from text that leaves the
 * handler (error messages end up in dead-letter records that many people can read).
 */
final class SecretHeaders {

    private static final String MASK = "****";
    // Shorter fragments would mask harmless text; credentials are rarely this short anyway.
    private static final int MIN_FRAGMENT = 4;

    private final List<String> secrets;

    SecretHeaders(Map<String, String> headers) {
        List<String> values = new ArrayList<>();
        headers.forEach((name, value) -> {
            if (looksSecret(name) && value != null && !value.isBlank()) {
                values.add(value.trim());
                // "Bearer abc…": an echo may show the credentials without the scheme.
                int space = value.trim().indexOf(' ');
                if (space > 0) {
                    values.add(value.trim().substring(space + 1).trim());
                }
            }
        });
        values.removeIf(v -> v.length() < MIN_FRAGMENT);
        // Longest first, so a full value is masked before its credentials part.
        values.sort(Comparator.comparingInt(String::length).reversed());
        this.secrets = List.copyOf(values);
    }

    /** Whether a header's value must never be shown. */
    static boolean looksSecret(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.equals("authorization")
                || n.equals("proxy-authorization")
                || n.contains("cookie")
                || n.contains("token")
                || n.contains("secret")
                || n.contains("password")
                || n.contains("api-key")
                || n.contains("apikey");
    }

    /** The text with every secret header value masked. */
    String scrub(String text) {
        String out = text;
        for (String secret : secrets) {
            out = out.replace(secret, MASK);
        }
        return out;
    }
}
