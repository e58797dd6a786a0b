package dev.ladder.app.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.config.AuthConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Who may call the ops port: health and metrics open, routes behind a bearer token and a role. */
class OpsServerAuthTest {

    static final String READ_TOKEN = "read-token-0123456789abcdef";
    static final String OPERATOR_TOKEN = "operator-token-0123456789abcdef";
    static final OpsAuth AUTH = OpsAuth.of(new AuthConfig(List.of(
            new AuthConfig.Token("viewer", AuthConfig.Role.READ, READ_TOKEN),
            new AuthConfig.Token("oncall", AuthConfig.Role.OPERATOR, OPERATOR_TOKEN))));

    private final HttpClient client = HttpClient.newHttpClient();
    private final OpsMetrics metrics = new OpsMetrics();
    private final List<String> callers = new CopyOnWriteArrayList<>();
    private OpsServer server;

    static HttpRequest.Builder asOperator(HttpRequest.Builder request) {
        return request.header("Authorization", "Bearer " + OPERATOR_TOKEN);
    }

    @AfterEach
    void stop() {
        server.close();
        metrics.close();
    }

    @Test
    void shouldServeHealthAndMetricsWithoutAToken() throws Exception {
        // given
        start(AUTH);
        // when / then
        assertThat(send("GET", "/health/live", null, Map.of()).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/metrics", null, Map.of()).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldRefuseRoutesWithoutAValidToken() throws Exception {
        // given
        start(AUTH);
        // when
        var none = send("GET", "/keys/blocked", null, Map.of());
        var wrong = send("GET", "/keys/blocked", "operator-token-0123456789abcdeX", Map.of());
        var basic = send("GET", "/keys/blocked", null, Map.of("Authorization", "Basic " + OPERATOR_TOKEN));
        // then
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer realm=\"ladder\"");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(basic.statusCode()).isEqualTo(401);
        assertThat(callers).isEmpty();
    }

    @Test
    void shouldRefuseEveryoneAndSayHowToConfigureWhenNoTokenIsConfigured() throws Exception {
        // given
        start(OpsAuth.of(AuthConfig.none()));
        // when
        var answer = send("GET", "/keys/blocked", OPERATOR_TOKEN, Map.of());
        // then
        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.body()).contains("server.auth.tokens");
    }

    @Test
    void shouldLetReadTokensGetButNotChangeState() throws Exception {
        // given
        start(AUTH);
        // when
        var get = send("GET", "/keys/blocked", READ_TOKEN, Map.of());
        var post = send("POST", "/keys/k/release", READ_TOKEN, Map.of());
        // then
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(post.statusCode()).isEqualTo(403);
        assertThat(post.body()).contains("read-only");
        assertThat(callers).containsExactly("viewer GET");
    }

    @Test
    void shouldLetOperatorTokensChangeStateFromTheSameSite() throws Exception {
        // given
        start(AUTH);
        String self = "http://127.0.0.1:" + server.port();
        // when
        var cli = send("POST", "/keys/k/release", OPERATOR_TOKEN, Map.of());
        var console = send(
                "POST",
                "/keys/k/release",
                "  " + OPERATOR_TOKEN,
                Map.of("Origin", self, "Sec-Fetch-Site", "same-origin"));
        var behindProxy = send(
                "POST",
                "/keys/k/release",
                OPERATOR_TOKEN,
                Map.of("Origin", "https://ladder.example", "Sec-Fetch-Site", "same-origin"));
        // then: the browser's own Sec-Fetch-Site wins over an Origin a proxy's Host does not match
        assertThat(cli.statusCode()).isEqualTo(200);
        assertThat(console.statusCode()).isEqualTo(200);
        assertThat(behindProxy.statusCode()).isEqualTo(200);
        assertThat(callers).containsExactly("oncall POST", "oncall POST", "oncall POST");
    }

    @Test
    void shouldRefuseCrossSiteStateChangesEvenWithAnOperatorToken() throws Exception {
        // given
        start(AUTH);
        // when
        var otherOrigin = send("POST", "/keys/k/release", OPERATOR_TOKEN, Map.of("Origin", "https://evil.example"));
        var nullOrigin = send("POST", "/keys/k/release", OPERATOR_TOKEN, Map.of("Origin", "null"));
        var otherSite = send("POST", "/keys/k/release", OPERATOR_TOKEN, Map.of("Sec-Fetch-Site", "cross-site"));
        var sameSite = send("POST", "/keys/k/release", OPERATOR_TOKEN, Map.of("Sec-Fetch-Site", "same-site"));
        // then
        assertThat(otherOrigin.statusCode()).isEqualTo(403);
        assertThat(otherOrigin.body()).contains("cross-site");
        assertThat(nullOrigin.statusCode()).isEqualTo(403);
        assertThat(otherSite.statusCode()).isEqualTo(403);
        assertThat(sameSite.statusCode()).isEqualTo(403);
        assertThat(callers).isEmpty();
    }

    private void start(OpsAuth auth) throws Exception {
        server = new OpsServer("127.0.0.1", 0, metrics.registry(), () -> null, Map.of(), auth);
        server.route("/keys/", exchange -> {
            callers.add(OpsAuth.callerOf(exchange).name() + " " + exchange.getRequestMethod());
            JsonReply.send(exchange, 200, Map.of("ok", true));
        });
    }

    private HttpResponse<String> send(String method, String path, String token, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
