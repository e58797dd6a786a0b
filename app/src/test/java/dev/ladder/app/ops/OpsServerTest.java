package dev.ladder.app.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.kernel.LadderMetrics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpsServerTest {

    private final HttpClient client = HttpClient.newHttpClient();
    private final AtomicReference<State> state = new AtomicReference<>();
    private OpsMetrics metrics;
    private OpsServer server;

    @BeforeEach
    void start() throws Exception {
        metrics = new OpsMetrics();
        Map<String, Supplier<?>> details = Map.of("breaker", () -> "CLOSED");
        server = new OpsServer("127.0.0.1", 0, metrics.registry(), state::get, details, OpsServerAuthTest.AUTH);
    }

    @AfterEach
    void stop() {
        server.close();
        metrics.close();
    }

    @Test
    void shouldBeLiveButNotReadyBeforeStreamsStarts() throws Exception {
        // given no Streams yet, then a created one
        state.set(null);
        assertThat(get("/health/ready").body()).contains("\"state\":\"NOT_STARTED\"");
        state.set(State.CREATED);
        // when
        var live = get("/health/live");
        var ready = get("/health/ready");
        // then
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(live.body()).contains("\"status\":\"UP\"");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("\"status\":\"DOWN\"", "\"state\":\"CREATED\"");
        assertThat(ready.headers().firstValue("Content-Type")).contains("application/json");
    }

    @Test
    void shouldBeReadyOnlyWhileRunning() throws Exception {
        // given
        state.set(State.RUNNING);
        // when
        var running = get("/health/ready");
        state.set(State.REBALANCING);
        var rebalancing = get("/health/ready");
        // then
        assertThat(running.statusCode()).isEqualTo(200);
        assertThat(running.body()).contains("\"status\":\"UP\"", "\"state\":\"RUNNING\"", "\"breaker\":\"CLOSED\"");
        assertThat(rebalancing.statusCode()).isEqualTo(503);
        assertThat(rebalancing.body()).contains("\"state\":\"REBALANCING\"");
    }

    @Test
    void shouldNotBeLiveWhenStreamsIsInError() throws Exception {
        // given
        state.set(State.ERROR);
        // when
        var live = get("/health/live");
        // then
        assertThat(live.statusCode()).isEqualTo(503);
        assertThat(live.body()).contains("\"status\":\"DOWN\"", "\"state\":\"ERROR\"");
    }

    @Test
    void shouldNotBeLiveOrReadyOnceMarkedFailed() throws Exception {
        // given
        state.set(State.RUNNING);
        // when
        server.markFailed("handler could not be loaded");
        // then
        var live = get("/health/live");
        assertThat(live.statusCode()).isEqualTo(503);
        assertThat(live.body()).contains("\"reason\":\"handler could not be loaded\"");
        assertThat(get("/health/ready").statusCode()).isEqualTo(503);
    }

    @Test
    void shouldServeOurMetersAndJvmMetersInPrometheusFormat() throws Exception {
        // given
        new LadderMetrics(metrics.registry()).event("orders", LadderMetrics.EventOutcome.SUCCEEDED);
        // when
        var response = get("/metrics");
        // then
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains(OpsServer.PROMETHEUS_TEXT);
        assertThat(response.body())
                .contains("ladder_events_total{outcome=\"succeeded\",topic=\"orders\"} 1.0")
                .contains("ladder_timers_pending")
                .contains("jvm_memory_used_bytes")
                .contains("jvm_threads_live_threads")
                .contains("process_uptime_seconds");
    }

    @Test
    void shouldAnswer404ForUnknownPathsAnd405ForOtherMethods() throws Exception {
        assertThat(get("/nope").statusCode()).isEqualTo(404);
        assertThat(get("/health/livex").statusCode()).isEqualTo(404);
        var post = client.send(
                request("/health/live")
                        .POST(HttpRequest.BodyPublishers.ofString("x"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).contains("GET");
    }

    @Test
    void shouldServeExtraRoutesAndTurnTheirFailuresInto500() throws Exception {
        // given
        server.route("/events/", exchange -> {
            String id = exchange.getRequestURI().getPath().substring("/events/".length());
            if (id.equals("broken")) {
                throw new IllegalStateException("store closed");
            }
            byte[] body = ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        });
        // when
        var found = client.send(
                OpsServerAuthTest.asOperator(request("/events/evt-1")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        var broken = client.send(
                OpsServerAuthTest.asOperator(request("/events/broken")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        // then
        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(found.body()).isEqualTo("{\"id\":\"evt-1\"}");
        assertThat(broken.statusCode()).isEqualTo(500);
    }

    @Test
    void shouldAnswerProbesPromptlyWhileOperatorQueriesHang() throws Exception {
        // given an operator route stuck on slow peers, and more such requests than the server has threads
        state.set(State.RUNNING);
        CountDownLatch release = new CountDownLatch(1);
        server.route("/events/", exchange -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(404, -1);
        });
        List<CompletableFuture<HttpResponse<String>>> stuck = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            stuck.add(client.sendAsync(
                    OpsServerAuthTest.asOperator(request("/events/e-" + i))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        Thread.sleep(300); // let them occupy whatever threads they can

        try {
            // when Kubernetes probes
            long start = System.nanoTime();
            var live = client.send(
                    request("/health/live").timeout(Duration.ofSeconds(3)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            var ready = client.send(
                    request("/health/ready")
                            .timeout(Duration.ofSeconds(3))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            var scrape = client.send(
                    request("/metrics").timeout(Duration.ofSeconds(3)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());

            // then they answer at once
            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        } finally {
            release.countDown();
        }
        // and the queries still get their answers (or a 503 "busy" beyond the queue), none is lost
        for (CompletableFuture<HttpResponse<String>> f : stuck) {
            assertThat(f.get(10, TimeUnit.SECONDS).statusCode()).isIn(404, 503);
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
    }
}
