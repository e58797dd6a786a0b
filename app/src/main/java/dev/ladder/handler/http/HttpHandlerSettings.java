package dev.ladder.handler.http;

import dev.ladder.policy.InvalidPolicyException;
import dev.ladder.text.Durations;
import dev.ladder.text.Redaction;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Settings of the built-in HTTP handler, under {@code handler.http.*} in the configuration.
 *
 * @param url {@code handler.http.url}: absolute http or https URL every event is sent to
 * @param method {@code handler.http.method}: POST (default), PUT or PATCH ({@link #METHODS})
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

    /** Default of {@link #method}: POST. */
    public static final String DEFAULT_METHOD = "POST";
    /** Default of {@link #requestTimeout}: 10 seconds. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** Default of {@link #connectTimeout}: 5 seconds. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Default of {@link #bodySnippetBytes}: 512. */
    public static final int DEFAULT_BODY_SNIPPET_BYTES = 512;

    /**
     * The methods the handler sends an event with, in the order shown to users. Each carries the
     * event as its body; GET and DELETE bodies are dropped by many servers and proxies.
     */
    public static final List<String> METHODS = List.of("POST", "PUT", "PATCH");

    // java.net.http refuses to let callers set these; failing at start beats failing per event.
    private static final Set<String> RESTRICTED = Set.of("connection", "content-length", "expect", "host", "upgrade");

    /**
     * Fills the defaults, then checks every setting.
     *
     * @throws InvalidPolicyException the first of {@link #problems}, the others suppressed
     */
    public HttpHandlerSettings {
        method = method == null ? DEFAULT_METHOD : method.trim().toUpperCase(Locale.ROOT);
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        requestTimeout = requestTimeout == null ? DEFAULT_REQUEST_TIMEOUT : requestTimeout;
        connectTimeout = connectTimeout == null ? DEFAULT_CONNECT_TIMEOUT : connectTimeout;
        InvalidPolicyException.throwIfAny(
                problems(url, method, headers, requestTimeout, connectTimeout, bodySnippetBytes));
    }

    /**
     * Every problem of these settings, keyed {@code handler.http.*}; a null method or duration
     * stands for its default.
     */
    public static List<InvalidPolicyException> problems(
            URI url,
            String method,
            Map<String, String> headers,
            Duration requestTimeout,
            Duration connectTimeout,
            int bodySnippetBytes) {
        List<InvalidPolicyException> problems = new ArrayList<>();
        if (url == null) {
            problems.add(invalid("url", "is missing", "an absolute http or https URL"));
        } else {
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!url.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || url.getHost() == null) {
                problems.add(invalid(
                        "url",
                        "is not an absolute http(s) URL with a host ('" + Redaction.url(String.valueOf(url)) + "')",
                        "e.g. https://partner.example/hook"));
            }
        }
        if (method != null && !METHODS.contains(method.trim().toUpperCase(Locale.ROOT))) {
            problems.add(invalid("method", "is '" + method + "'", "one of " + String.join(", ", METHODS)));
        }
        if (headers != null) {
            for (String name : headers.keySet()) {
                if (RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                    problems.add(invalid(
                            "headers",
                            "sets '" + name + "', which the HTTP client sets itself",
                            "any header but " + String.join(", ", new TreeSet<>(RESTRICTED))));
                }
            }
        }
        positive("request-timeout", requestTimeout, problems);
        positive("connect-timeout", connectTimeout, problems);
        if (bodySnippetBytes < 0) {
            problems.add(invalid("body-snippet-bytes", "is " + bodySnippetBytes, "0 or more bytes"));
        }
        return problems;
    }

    /** POST to {@code url} with every other setting at its default. */
    public static HttpHandlerSettings of(URI url) {
        return new HttpHandlerSettings(url, null, Map.of(), null, null, DEFAULT_BODY_SNIPPET_BYTES);
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
            throw invalid("url", "is not a valid URL (" + e.getMessage() + ")", "e.g. https://partner.example/hook");
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
            throw invalid("headers", "is not a map", "a map of header name to value");
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
            throw invalid(key, "is '" + raw + "'", "a duration such as 10s, 500ms or PT10S");
        }
    }

    private static int integer(String key, Object raw) {
        try {
            return raw instanceof Number n
                    ? n.intValue()
                    : Integer.parseInt(raw.toString().trim());
        } catch (NumberFormatException e) {
            throw invalid(key, "is '" + raw + "'", "a whole number");
        }
    }

    private static void positive(String key, Duration value, List<InvalidPolicyException> problems) {
        if (value != null && (value.isZero() || value.isNegative())) {
            problems.add(invalid(key, "is " + value.toMillis() + "ms", "a positive duration such as 5s"));
        }
    }

    private static InvalidPolicyException invalid(String key, String problem, String allowed) {
        return new InvalidPolicyException(PREFIX + key, problem, allowed);
    }
}
