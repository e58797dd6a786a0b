package dev.ladder.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;

/** Checks what Jackson's binding cannot: required keys, ranges, and the settings as a whole. */
final class ConfigValidation {

    private ConfigValidation() {}

    static void validate(LadderConfig config) {
        // toSettings checks topics.main first, then the retry policy and topology settings
        config.toSettings();
        validateHandler(config.handler());
        int port = config.server().port();
        if (port < 0 || port > 65535) {
            throw new ConfigException("server.port", "is " + port, "a TCP port from 0 to 65535 (0 picks a free port)");
        }
        if (config.reloadInterval().isNegative()) {
            throw new ConfigException(
                    "reload-interval",
                    "is " + Durations.format(config.reloadInterval()),
                    "a positive duration such as 5s, or 0s to turn live reload off");
        }
        if (config.applicationId() == null || config.applicationId().isBlank()) {
            throw new ConfigException(
                    "application-id",
                    "is blank",
                    "a Kafka Streams application id, or leave it out for ladder-<topics.main>");
        }
    }

    private static void validateHandler(HandlerConfig handler) {
        if (handler.type() == HandlerConfig.Type.CLASS) {
            if (handler.className() == null || handler.className().isBlank()) {
                throw new ConfigException(
                        "handler.class",
                        "is missing for handler.type: class",
                        "the class name of an implementation of dev.ladder.handler.EventHandler");
            }
            return;
        }
        HttpConfig http = handler.http();
        if (http.url() == null || http.url().isBlank()) {
            throw new ConfigException(
                    "handler.http.url",
                    "is missing for handler.type: http",
                    "an http:// or https:// URL, or handler.type: class");
        }
        checkUrl(http.url());
        if (!HttpConfig.METHODS.contains(http.method())) {
            throw new ConfigException(
                    "handler.http.method",
                    "is '" + http.method() + "'",
                    String.join(", ", HttpConfig.METHODS.stream().sorted().toList()));
        }
        positive("handler.http.connect-timeout", http.connectTimeout());
        if (http.bodySnippetBytes() < 0) {
            throw new ConfigException("handler.http.body-snippet-bytes", "is " + http.bodySnippetBytes(), "0 or more");
        }
    }

    private static void checkUrl(String url) {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme();
            if (uri.getHost() != null && ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
                return;
            }
        } catch (URISyntaxException e) {
            // falls through to the error below, which does not repeat a URL that may hold a token
        }
        throw new ConfigException(
                "handler.http.url",
                "is not an absolute http(s) URL (" + Redaction.url(url) + ")",
                "e.g. https://partner.example/hook");
    }

    private static void positive(String key, Duration value) {
        if (value.isZero() || value.isNegative()) {
            throw new ConfigException(key, "is " + Durations.format(value), "a positive duration such as 5s");
        }
    }
}
