package dev.ladder.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The {@code handler.http:} section of the built-in HTTP handler. Secret headers (Authorization,
 * cookies, tokens) never appear in {@link #toString()}.
 *
 * @param url where each event is sent; required for {@code handler.type: http}
 * @param method HTTP method, {@code POST}, {@code PUT} or {@code PATCH}; default POST
 * @param headers extra request headers; values may be secret references such as
 *     {@code ${env:PARTNER_TOKEN}}
 * @param connectTimeout longest wait for a connection; default 5s
 * @param bodySnippetBytes how much of an error response body is kept in the error history;
 *     default 512
 */
public record HttpConfig(
        String url, String method, Map<String, String> headers, Duration connectTimeout, Integer bodySnippetBytes) {

    /** The methods the HTTP handler can send. */
    public static final Set<String> METHODS = Set.of("POST", "PUT", "PATCH");

    public HttpConfig {
        method = method == null ? "POST" : method.toUpperCase(java.util.Locale.ROOT);
        headers = headers == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout;
        bodySnippetBytes = bodySnippetBytes == null ? 512 : bodySnippetBytes;
    }

    @Override
    public String toString() {
        return "HttpConfig[url=" + Redaction.url(url) + ", method=" + method
                + ", headers=" + Redaction.headers(headers) + ", connectTimeout=" + connectTimeout
                + ", bodySnippetBytes=" + bodySnippetBytes + "]";
    }
}
