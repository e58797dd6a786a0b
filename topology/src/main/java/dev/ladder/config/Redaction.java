package dev.ladder.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Decides which configured values are secrets, so they never reach a log line or a
 * {@code toString()}. Errs on the side of hiding: a hidden harmless value costs a look at the
 * file, a shown password costs a rotation.
 */
final class Redaction {

    /** What replaces a secret. */
    static final String REDACTED = "[redacted]";

    // ssl.key.password, sasl.jaas.config, basic.auth.user.info, *.token*, ssl.keystore.key, api.key
    private static final Pattern SECRET_PROPERTY = Pattern.compile(
            ".*(password|jaas|secret|token|credential|user\\.info|apikey|api\\.key|api-key|private).*|.*[.-]key");
    private static final Pattern SECRET_HEADER = Pattern.compile(
            "authorization|proxy-authorization|cookie|set-cookie|.*(token|secret|password|api-key|apikey).*");
    private static final Pattern URL_USER_INFO = Pattern.compile("(://)[^/@]*@");

    private Redaction() {}

    /** True when a Kafka property or handler setting of this name holds a secret. */
    static boolean isSecretProperty(String name) {
        return SECRET_PROPERTY.matcher(name.toLowerCase(Locale.ROOT)).matches();
    }

    /** True when an HTTP header of this name holds a secret. */
    static boolean isSecretHeader(String name) {
        return SECRET_HEADER.matcher(name.toLowerCase(Locale.ROOT)).matches();
    }

    /** A copy with every secret property's value replaced. */
    static <V> Map<String, Object> properties(Map<String, V> values) {
        Map<String, Object> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> copy.put(k, isSecretProperty(k) ? REDACTED : v));
        return copy;
    }

    /** A copy with every secret header's value replaced. */
    static Map<String, String> headers(Map<String, String> values) {
        Map<String, String> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> copy.put(k, isSecretHeader(k) ? REDACTED : v));
        return copy;
    }

    /** The URL without user and password ({@code https://user:pw@host} → {@code https://[redacted]@host}). */
    static String url(String url) {
        return url == null ? null : URL_USER_INFO.matcher(url).replaceFirst("$1" + REDACTED + "@");
    }
}
