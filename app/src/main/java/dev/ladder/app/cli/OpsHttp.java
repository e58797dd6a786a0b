package dev.ladder.app.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Calls a running Ladder's ops endpoints for the {@code keys} and {@code status} commands. Every call
 * is bounded by the command's {@code --timeout}; an instance that does not answer in time, refuses
 * the connection or does not resolve is one {@link Unreachable} line naming its URL.
 */
final class OpsHttp {

    /** A status and a JSON body. */
    record Reply(int status, String body) {}

    private OpsHttp() {}

    static Reply call(String baseUrl, String method, String path, Duration timeout) throws InterruptedException {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(timeout)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        try {
            HttpResponse<String> response = HttpClient.newBuilder()
                    .connectTimeout(timeout)
                    .build()
                    .send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.body());
        } catch (IOException e) {
            throw Unreachable.instance(base, timeout, e);
        }
    }

    /** A path segment: percent-encoded, spaces as %20. */
    static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
