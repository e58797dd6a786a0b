package dev.ladder.handler.http;

import dev.ladder.config.Durations;
import dev.ladder.config.Redaction;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Settings of the built-in HTTP handler, under {@code handler.http.*} in the configuration.
 *
 * @param url {@code handler.http.url}: absolute http or https URL every event is sent to
 * @param method {@code handler.http.method}: GET, POST (default), PUT, PATCH or DELETE
 * @param headers {@code handler.http.headers}: extra request headers; values of secret-looking
 *     names (Authorization, Cookie, anything with "token", ...) are never echoed
 * @param requestTimeout {@code handler.http.request-timeout}: longest wait for a response (10s)
 * @param connectTimeout {@code handler.http.connect-timeout}: longest wait for a connection (5s)
 * @param bodySnippetBytes {@code handler.http.body-snippet-bytes}: how much of a failed response's
 *     body goes into the error history (512)
 */
public record HttpHandlerSettings(
        URI url,
        String method,
        Map<String, String> headers,
        Duration requestTimeout,
        Duration connectTimeout,
        int bodySnippetBytes) {

    /** The configuration prefix of every key. */
    public static final String PREFIX = "handler.http.";

    static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final int DEFAULT_BODY_SNIPPET_BYTES = 512;

    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
    // java.net.http refuses to let callers set these; failing at start beats failing per event.
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

    public HttpHandlerSettings {
        if (url == null) {
            throw invalid("url", "is required (an absolute http or https URL)");
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!url.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
            throw invalid(
                    "url",
                    "must be an absolute http or https URL with a host, got '" + Redaction.url(String.valueOf(url))
                            + "'");
        }
        method = method == null ? "POST" : method.trim().toUpperCase(Locale.ROOT);
        if (!METHODS.contains(method)) {
            throw invalid("method", "must be one of GET, POST, PUT, PATCH, DELETE, got '" + method + "'");
        }
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        for (String name : headers.keySet()) {
            if (RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                throw invalid("headers", "'" + name + "' is set by the HTTP client and cannot be configured");
            }
        }
        requestTimeout = positive("request-timeout", requestTimeout, DEFAULT_REQUEST_TIMEOUT);
        connectTimeout = positive("connect-timeout", connectTimeout, DEFAULT_CONNECT_TIMEOUT);
        if (bodySnippetBytes < 0) {
            throw invalid("body-snippet-bytes", "must be 0 or more, got " + bodySnippetBytes);
        }
    }

    /** POST to {@code url} with every other setting at its default. */
    public static HttpHandlerSettings of(URI url) {
        return new HttpHandlerSettings(url, "POST", Map.of(), null, null, DEFAULT_BODY_SNIPPET_BYTES);
    }

    /**
     * Reads the settings from the handler's own map, keys without the {@code handler.http.} prefix
     * (which is tolerated). Durations are a {@link Duration}, milliseconds as a number, or text
     * such as {@code 10s}, {@code 500ms}, {@code 2m} or {@code PT10S}.
     */
    public static HttpHandlerSettings fromMap(Map<String, ?> settings) {
        Map<String, Object> s = new LinkedHashMap<>();
        settings.forEach((k, v) -> s.put(k.startsWith(PREFIX) ? k.substring(PREFIX.length()) : k, v));
        Object url = s.get("url");
        URI uri;
        try {
            uri = url == null
                    ? null
                    : url instanceof URI u ? u : URI.create(url.toString().trim());
        } catch (IllegalArgumentException e) {
            throw invalid("url", "is not a valid URL: " + e.getMessage());
        }
        Object method = s.get("method");
        Object snippet = s.get("body-snippet-bytes");
        return new HttpHandlerSettings(
                uri,
                method == null ? null : method.toString(),
                headers(s.get("headers")),
                duration("request-timeout", s.get("request-timeout")),
                duration("connect-timeout", s.get("connect-timeout")),
                snippet == null ? DEFAULT_BODY_SNIPPET_BYTES : integer("body-snippet-bytes", snippet));
    }

    /** The URL with user info, query values and fragment masked ({@link Redaction#url}): safe for messages and logs. */
    public String safeUrl() {
        return Redaction.url(url.toString());
    }

    // Never print secret header values, e.g. when settings are logged at start.
    @Override
    public String toString() {
        return "HttpHandlerSettings[url=" + safeUrl() + ", method=" + method + ", headers="
                + Redaction.headers(headers)
                + ", requestTimeout=" + requestTimeout + ", connectTimeout=" + connectTimeout
                + ", bodySnippetBytes=" + bodySnippetBytes + "]";
    }

    private static Map<String, String> headers(Object raw) {
        if (raw == null) {
            return Map.of();
        }
        if (!(raw instanceof Map<?, ?> map)) {
            throw invalid("headers", "must be a map of header name to value");
        }
        Map<String, String> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        return out;
    }

    private static Duration duration(String key, Object raw) {
        if (raw == null || raw instanceof Duration) {
            return (Duration) raw;
        }
        if (raw instanceof Number n) {
            return Duration.ofMillis(n.longValue());
        }
        String text = raw.toString().trim();
        if (text.chars().allMatch(Character::isDigit) && !text.isEmpty()) {
            return Duration.ofMillis(Long.parseLong(text));
        }
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw invalid(key, "must be a duration such as 10s, 500ms or PT10S, got '" + raw + "'");
        }
    }

    private static int integer(String key, Object raw) {
        try {
            return raw instanceof Number n
                    ? n.intValue()
                    : Integer.parseInt(raw.toString().trim());
        } catch (NumberFormatException e) {
            throw invalid(key, "must be a whole number, got '" + raw + "'");
        }
    }

    private static Duration positive(String key, Duration value, Duration fallback) {
        if (value == null) {
            return fallback;
        }
        if (value.isZero() || value.isNegative()) {
            throw invalid(key, "must be positive, got " + value);
        }
        return value;
    }

    private static IllegalArgumentException invalid(String key, String problem) {
        return new IllegalArgumentException(PREFIX + key + " " + problem);
    }
}
