package dev.ladder.handler.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.app.LadderApp;
import dev.ladder.config.LadderConfigLoader;
import dev.ladder.handler.Event;
import dev.ladder.handler.Outcome;
import dev.ladder.testing.TestHttpServer;
import dev.ladder.testing.TestHttpServer.Reply;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HttpEventHandlerTest {

    private static final Instant NOW = Instant.parse("2025-03-01T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private TestHttpServer server;

    @BeforeEach
    void start() throws Exception {
        server = new TestHttpServer(c -> Reply.of(200, "ok"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void shouldPostValueWithIdempotencyKeyAttemptAndRecordContentType() throws Exception {
        // given
        var headers = new RecordHeaders().add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
        var handler = handler(settings("POST", Map.of("X-Team", "payments")));
        // when
        Outcome outcome = handler.handle(event("evt-1", "{\"amount\":5}", headers, 3));
        // then
        assertThat(outcome).isEqualTo(Outcome.success());
        var received = server.take();
        assertThat(received.method()).isEqualTo("POST");
        assertThat(received.path()).isEqualTo("/hook");
        assertThat(received.body()).isEqualTo("{\"amount\":5}");
        assertThat(received.header("Idempotency-Key")).isEqualTo("evt-1");
        assertThat(received.header("Ladder-Attempt")).isEqualTo("3");
        assertThat(received.header("X-Team")).isEqualTo("payments");
        assertThat(received.header("Content-Type")).isEqualTo("application/json");
    }

    @Test
    void shouldPreferConfiguredContentTypeAndSendEmptyBodyForNullValue() throws Exception {
        // given
        var headers = new RecordHeaders().add("Content-Type", "text/plain".getBytes(StandardCharsets.UTF_8));
        var handler = handler(settings("PUT", Map.of("Content-Type", "application/cloudevents+json")));
        // when
        Outcome outcome = handler.handle(event("evt-2", null, headers, 1));
        // then
        assertThat(outcome).isEqualTo(Outcome.success());
        var received = server.take();
        assertThat(received.method()).isEqualTo("PUT");
        assertThat(received.body()).isEmpty();
        assertThat(received.header("Content-Type")).isEqualTo("application/cloudevents+json");
    }

    @Test
    void shouldReturnTransientWithStatusAndSnippetOn503() throws Exception {
        // given
        server.answer(Reply.of(503, "upstream\nbusy,\r\n  try later"));
        // when
        Outcome outcome = handler(settings("POST", Map.of())).handle(event("evt-3", "x", null, 1));
        // then
        assertThat(outcome).isInstanceOfSatisfying(Outcome.Transient.class, t -> {
            assertThat(t.httpStatus()).isEqualTo(503);
            assertThat(t.message())
                    .isEqualTo("HTTP 503 from POST " + server.uri("/hook") + ": upstream busy, try later");
            assertThat(t.notBefore()).isNull();
        });
    }

    @Test
    void shouldReturnPermanentOn400() throws Exception {
        // given
        server.answer(Reply.of(400, "{\"error\":\"amount missing\"}"));
        // when
        Outcome outcome = handler(settings("POST", Map.of())).handle(event("evt-4", "{}", null, 1));
        // then
        assertThat(outcome).isInstanceOfSatisfying(Outcome.Permanent.class, p -> {
            assertThat(p.httpStatus()).isEqualTo(400);
            assertThat(p.message()).startsWith("HTTP 400 from POST").endsWith("{\"error\":\"amount missing\"}");
        });
    }

    @Test
    void shouldTreatRedirectAsUnexpectedPermanentWithoutFollowingIt() throws Exception {
        // given
        server.answer(
                Reply.of(302, "").header("Location", server.uri("/elsewhere").toString()));
        // when
        Outcome outcome = handler(settings("POST", Map.of())).handle(event("evt-5", "x", null, 1));
        // then
        assertThat(outcome)
                .isInstanceOfSatisfying(
                        Outcome.Permanent.class,
                        p -> assertThat(p.message()).contains("HTTP 302").contains("unexpected status"));
        assertThat(server.take().path()).isEqualTo("/hook");
    }

    @Test
    void shouldTakeRetryAfterSecondsAsNotBeforeOn429() throws Exception {
        // given
        server.answer(Reply.of(429, "slow down").header("Retry-After", "2"));
        // when
        Outcome outcome = handler(settings("POST", Map.of())).handle(event("evt-6", "x", null, 1));
        // then
        assertThat(outcome).isInstanceOfSatisfying(Outcome.Transient.class, t -> {
            assertThat(t.httpStatus()).isEqualTo(429);
            assertThat(t.notBefore()).isEqualTo(NOW.plusSeconds(2));
        });
    }

    @Test
    void shouldTakeRetryAfterHttpDateAsNotBeforeOn503() throws Exception {
        // given
        server.answer(Reply.of(503, "").header("Retry-After", "Sat, 01 Mar 2025 12:05:00 GMT"));
        // when
        Outcome outcome = handler(settings("POST", Map.of())).handle(event("evt-7", "x", null, 1));
        // then
        assertThat(outcome)
                .isInstanceOfSatisfying(
                        Outcome.Transient.class,
                        t -> assertThat(t.notBefore()).isEqualTo(Instant.parse("2025-03-01T12:05:00Z")));
    }

    @Test
    void shouldTakeTheLatestOfSeveralRetryAfterHeaders() throws Exception {
        // given a server that sends the singleton header twice
        server.answer(Reply.of(503, "").header("Retry-After", "2", "30"));
        // when
        Outcome outcome = handler(settings("POST", Map.of())).handle(event("evt-8", "x", null, 1));
        // then
        assertThat(outcome)
                .isInstanceOfSatisfying(
                        Outcome.Transient.class, t -> assertThat(t.notBefore()).isEqualTo(NOW.plusSeconds(30)));
    }

    @Test
    void shouldTurnAnAbsurdRetryAfterIntoTheLatestConvertibleInstantInsteadOfThrowing() throws Exception {
        // given
        server.answer(Reply.of(429, "").header("Retry-After", "99999999999999999999"));
        // when
        Outcome outcome = handler(settings("POST", Map.of())).handle(event("evt-9", "x", null, 1));
        // then the consumer can convert it, and caps it to retry.max-retry-after
        assertThat(outcome)
                .isInstanceOfSatisfying(
                        Outcome.Transient.class,
                        t -> assertThat(t.notBefore().toEpochMilli()).isEqualTo(Long.MAX_VALUE));
    }

    @Test
    void shouldTreatSlowResponseAsTransientTimeout() throws Exception {
        // given a server slower than the 200 ms request timeout
        server.answer(Reply.of(200, "late").delayed(3_000));
        var s = new HttpHandlerSettings(
                server.uri("/hook"), "POST", Map.of(), Duration.ofMillis(200), Duration.ofSeconds(1), 512);
        long started = System.nanoTime();
        // when
        Outcome outcome = new HttpEventHandler(s, CLOCK).handle(event("evt-8", "x", null, 1));
        // then
        assertThat(outcome).isInstanceOfSatisfying(Outcome.Transient.class, t -> {
            assertThat(t.cause()).isInstanceOf(HttpTimeoutException.class);
            assertThat(t.message()).contains("timed out");
        });
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(2_500));
    }

    @Test
    void shouldTreatConnectionRefusedAsTransient() throws Exception {
        // given a port nobody listens on
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        var s = HttpHandlerSettings.of(URI.create("http://127.0.0.1:" + closedPort + "/hook"));
        // when
        Outcome outcome = new HttpEventHandler(s, CLOCK).handle(event("evt-9", "x", null, 1));
        // then
        assertThat(outcome).isInstanceOfSatisfying(Outcome.Transient.class, t -> {
            assertThat(t.cause()).isInstanceOf(java.io.IOException.class);
            assertThat(t.httpStatus()).isNull();
            assertThat(t.message()).startsWith("POST http://127.0.0.1:" + closedPort + "/hook failed");
        });
    }

    @Test
    void shouldBoundBodySnippet() throws Exception {
        // given a 100 kB error page
        server.answer(Reply.of(500, "é".repeat(50_000)));
        var s = new HttpHandlerSettings(server.uri("/hook"), "POST", Map.of(), null, null, 101);
        // when
        Outcome outcome = new HttpEventHandler(s, CLOCK).handle(event("evt-10", "x", null, 1));
        // then 101 bytes hold 50 two-byte characters; the cut one is left out, not mangled
        String message = ((Outcome.Transient) outcome).message();
        String snippet = message.substring(message.indexOf(": ") + 2);
        assertThat(snippet).isEqualTo("é".repeat(50) + "…");
    }

    @Test
    void shouldNeverEchoSecretHeaderValues() throws Exception {
        // given a server that echoes the request headers back in its error body
        server.answer(r -> Reply.of(401, "you sent " + r.headers().entrySet()));
        var secrets = Map.of(
                "Authorization",
                "Bearer s3cr3t-bearer-value",
                "X-Api-Token",
                "tok-123456",
                "Cookie",
                "session=abcdef123");
        var s = new HttpHandlerSettings(server.uri("/hook"), "POST", secrets, null, null, 4_096);
        // when
        Outcome outcome = new HttpEventHandler(s, CLOCK).handle(event("evt-11", "x", null, 1));
        // then
        String message = ((Outcome.Permanent) outcome).message();
        assertThat(message)
                .contains("you sent")
                .contains("[redacted]")
                .doesNotContain("s3cr3t-bearer-value", "tok-123456", "session=abcdef123");
        assertThat(s.toString()).doesNotContain("s3cr3t-bearer-value", "tok-123456", "session=abcdef123");
    }

    @Test
    void shouldMaskQueryValuesOfAUrlTheDownstreamEchoesAsTheConfigurationDoes() throws Exception {
        // given a server whose error body quotes a URL with a credential in its query
        server.answer(r -> Reply.of(400, "callback https://partner.example/cb?code=s3cr3t-code&x=1 rejected"));
        var s = HttpHandlerSettings.of(server.uri("/hook"));
        // when
        Outcome outcome = new HttpEventHandler(s, CLOCK).handle(event("evt-12", "x", null, 1));
        // then the dead letter's message keeps the URL's shape and masks its values, as Redaction does everywhere
        String message = ((Outcome.Permanent) outcome).message();
        assertThat(message)
                .contains("https://partner.example/cb?code=[redacted]&x=[redacted] rejected")
                .doesNotContain("s3cr3t-code");
    }

    @Test
    void shouldMaskASecretTheSnippetLimitCutsInTwo() throws Exception {
        // given a server that echoes the token, and a snippet limit that falls inside the echo
        server.answer(r -> Reply.of(401, "x".repeat(20) + r.header("Authorization") + " was refused"));
        var s = new HttpHandlerSettings(
                server.uri("/hook"), "POST", Map.of("Authorization", "Bearer s3cr3t-bearer-value"), null, null, 40);
        // when
        Outcome outcome = new HttpEventHandler(s, CLOCK).handle(event("evt-13", "x", null, 1));
        // then not even the start of the secret is kept
        String message = ((Outcome.Permanent) outcome).message();
        assertThat(message).contains("x".repeat(20)).doesNotContain("s3cr3t-b");
    }

    @Test
    void shouldNeverStoreAReferencedSecretEvenUnderAnInnocentHeaderName(@TempDir Path dir) throws Exception {
        // given a header whose name looks harmless but whose value comes from the environment
        server.answer(r -> Reply.of(403, "partner " + r.header("X-Partner") + " unknown; see " + r.path()));
        Path file = Files.writeString(
                dir.resolve("ladder.yaml"),
                "topics: {main: orders}\nhandler:\n  http:\n    url: '${env:HOOK_URL}'\n"
                        + "    headers: {X-Partner: '${env:PARTNER_ID}'}\n");
        var config = LadderConfigLoader.load(
                file,
                Map.of(
                        "PARTNER_ID",
                        "acme-7f3k9q2",
                        "HOOK_URL",
                        server.uri("/hook/s3cr3t-path").toString()));
        // when
        Outcome outcome = LadderApp.createHandler(config).handle(event("evt-14", "x", null, 1));
        // then the error history shows neither the header value nor the URL that came from a reference
        String message = ((Outcome.Permanent) outcome).message();
        assertThat(message)
                .startsWith("HTTP 403 from POST")
                .contains("partner [redacted] unknown")
                .doesNotContain("acme-7f3k9q2", "s3cr3t-path");
    }

    @Test
    void shouldBeConfiguredFromItsSettingsMap() throws Exception {
        // given
        var handler = new HttpEventHandler();
        // when
        handler.configure(Map.of(
                "url",
                server.uri("/hook").toString(),
                "method",
                "patch",
                "request-timeout",
                "2s",
                "headers",
                Map.of("X-Team", "payments")));
        Outcome outcome = handler.handle(event("evt-12", "x", null, 1));
        // then
        assertThat(outcome).isEqualTo(Outcome.success());
        var received = server.take();
        assertThat(received.method()).isEqualTo("PATCH");
        assertThat(received.header("X-Team")).isEqualTo("payments");
        assertThat(handler.settings().requestTimeout()).isEqualTo(Duration.ofSeconds(2));
    }

    private HttpHandlerSettings settings(String method, Map<String, String> headers) {
        return new HttpHandlerSettings(server.uri("/hook"), method, headers, null, null, 512);
    }

    private static HttpEventHandler handler(HttpHandlerSettings settings) {
        return new HttpEventHandler(settings, CLOCK);
    }

    private static Event event(String id, String value, Headers headers, int attempt) {
        return new Event(
                id,
                "k".getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8),
                headers == null ? new RecordHeaders() : headers,
                "orders",
                0,
                42L,
                NOW.toEpochMilli(),
                attempt,
                0,
                List.of());
    }
}
