package dev.ladder.app.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.app.ops.OpsAuth;
import dev.ladder.app.ops.OpsMetrics;
import dev.ladder.app.ops.OpsServer;
import dev.ladder.config.AuthConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The console's static files: served without a token, under a strict policy, and nothing else. */
class ConsoleAssetsTest {

    private final HttpClient client = HttpClient.newHttpClient();
    private final OpsMetrics metrics = new OpsMetrics();
    private OpsServer server;

    @BeforeEach
    void start() throws Exception {
        server = new OpsServer("127.0.0.1", 0, metrics.registry(), () -> null, Map.of(), OpsAuth.of(AuthConfig.none()));
        server.assets("/console", new ConsoleAssets());
    }

    @AfterEach
    void stop() {
        server.close();
        metrics.close();
    }

    @Test
    void shouldServeThePageAndItsScriptsUnderAStrictPolicy() throws Exception {
        // when
        var page = send("GET", "/console/");
        var script = send("GET", "/console/js/main.js");
        var style = send("GET", "/console/console.css");
        // then
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
        assertThat(page.body()).contains("<script type=\"module\" src=\"js/main.js\">");
        assertThat(page.headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(csp -> assertThat(csp).contains("script-src 'self'", "frame-ancestors 'none'"));
        assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(script.statusCode()).isEqualTo(200);
        assertThat(script.headers().firstValue("Content-Type")).contains("text/javascript; charset=utf-8");
        assertThat(style.headers().firstValue("Content-Type")).contains("text/css; charset=utf-8");
    }

    @Test
    void shouldRedirectTheBarePathToTheFolder() throws Exception {
        var bare = send("GET", "/console");
        assertThat(bare.statusCode()).isEqualTo(301);
        assertThat(bare.headers().firstValue("Location")).contains("/console/");
    }

    @Test
    void shouldServeNothingOutsideTheConsoleFolder() throws Exception {
        assertThat(send("GET", "/console/../log4j2.xml").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/console/%2e%2e/log4j2.xml").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/console/js/../../log4j2.xml").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/console/missing.js").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/console/index.html.bak").statusCode()).isEqualTo(404);
    }

    @Test
    void shouldOnlyAnswerGet() throws Exception {
        var post = send("POST", "/console/");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).contains("GET");
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
