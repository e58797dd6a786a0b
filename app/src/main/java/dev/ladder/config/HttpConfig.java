package dev.ladder.config;

import dev.ladder.handler.http.HttpHandlerSettings;
import dev.ladder.text.Redaction;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code handler.http:} section of the built-in HTTP handler. Secret headers (Authorization,
 * cookies, tokens) never appear in {@link #toString()}.
 *
 * @param url where each event is sent; required for {@code handler.type: http}
 * @param method HTTP method, one of {@link HttpHandlerSettings#METHODS} ({@code POST}, {@code PUT},
 *     {@code PATCH}); default {@link HttpHandlerSettings#DEFAULT_METHOD}
 * @param headers extra request headers; values may be secret references such as
 *     {@code ${env:PARTNER_TOKEN}}
 * @param connectTimeout longest wait for a connection; default
 *     {@link HttpHandlerSettings#DEFAULT_CONNECT_TIMEOUT} (5s)
 * @param bodySnippetBytes how much of an error response body is kept in the error history, 0 or
 *     more; default {@link HttpHandlerSettings#DEFAULT_BODY_SNIPPET_BYTES} (512)
 */
public record HttpConfig(
        String url, String method, Map<String, String> headers, Duration connectTimeout, Integer bodySnippetBytes) {

    public HttpConfig {
        method = method == null ? HttpHandlerSettings.DEFAULT_METHOD : method.toUpperCase(java.util.Locale.ROOT);
        headers = headers == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
        connectTimeout = connectTimeout == null ? HttpHandlerSettings.DEFAULT_CONNECT_TIMEOUT : connectTimeout;
        bodySnippetBytes = bodySnippetBytes == null ? HttpHandlerSettings.DEFAULT_BODY_SNIPPET_BYTES : bodySnippetBytes;
    }

    @Override
    public String toString() {
        return "HttpConfig[url=" + Redaction.url(url) + ", method=" + method
                + ", headers=" + Redaction.headers(headers) + ", connectTimeout=" + connectTimeout
                + ", bodySnippetBytes=" + bodySnippetBytes + "]";
    }
}
