package dev.ladder.app.cli;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/** Calls a running Ladder's ops endpoints for the {@code keys} and {@code status} commands. */
final class OpsHttp {

    /** A status and a JSON body. */
    record Reply(int status, String body) {}

    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private OpsHttp() {}

    /**
     * Calls {@code method path} with the token as bearer credentials. A 401 gets a hint on how to
     * pass a token appended to its body.
     */
    static Reply call(String baseUrl, String method, String path, OpsTokenOption token)
            throws IOException, InterruptedException {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .timeout(TIMEOUT)
                .method(method, HttpRequest.BodyPublishers.noBody());
        Optional<String> bearer = token.token();
        bearer.ifPresent(t -> request.header("Authorization", "Bearer " + t));
        HttpResponse<String> response = HttpClient.newBuilder()
                .connectTimeout(TIMEOUT)
                .build()
                .send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 401) {
            return new Reply(
                    401,
                    response.body()
                            + System.lineSeparator()
                            + (bearer.isEmpty()
                                    ? "the ops port needs a token: --token-file FILE or " + OpsTokenOption.ENV
                                    : "the ops port did not accept the token"));
        }
        return new Reply(response.statusCode(), response.body());
    }

    /** A path segment: percent-encoded, spaces as %20. */
    static String segment(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
