package dev.ladder.it;

import static dev.ladder.it.CommittedReader.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.ladder.app.LadderApp;
import dev.ladder.app.ops.Audit;
import dev.ladder.config.LadderConfig;
import dev.ladder.policy.TopicNames;
import dev.ladder.testing.TestHttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The console in a real headless Chromium against a running Ladder on the in-JVM broker, with real
 * dead letters from a failing endpoint (hold policy, so their keys are blocked and followers park):
 * every page shows that data, a dry run then a replay sends the dead letters back, a release lets
 * a key's parked event run, and the API refuses callers without a token, read tokens that replay
 * and cross-site requests. The screenshots in docs/console are written here.
 */
class ConsoleIT {

    @RegisterExtension
    static final KafkaBroker broker = KafkaBroker.shared();

    @TempDir
    static Path dir;

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static TestHttpServer hook;
    private static LadderApp app;
    private static TopicNames topics;
    private static CommittedReader main;
    private static CommittedReader dlt;
    private static CommittedReader out;
    private static ConsoleBrowser browser;
    private static final CapturedLog audit = new CapturedLog();
    private static String console;

    @BeforeAll
    static void start() throws Exception {
        long started = System.nanoTime();
        audit.start();
        ((Logger) LogManager.getLogger(Audit.LOGGER)).addAppender(audit);
        // e-dead-*: 500 until replayed; e-bad: 400 (permanent); e-retry-*: 503 twice; everything else
        // and every replay: 200
        hook = TestHttpServer.byEvent((id, arrival) -> {
            if (id.contains("~replay-")) {
                return 200;
            }
            if (id.startsWith("e-retry-")) {
                return arrival <= 2 ? 503 : 200;
            }
            return id.startsWith("e-dead-") ? 500 : id.startsWith("e-bad") ? 400 : 200;
        });
        String topic = broker.uniqueTopic("console");
        broker.createTopic(topic, 2);
        LadderConfig config = new LadderFixture(
                        broker.uniqueId("ladder-console"), broker.bootstrapServers(), topic, hook.url())
                .onDeadLetter("hold")
                .load(dir.resolve("conf"), dir.resolve("state"));
        topics = LadderFixture.topics(config);
        app = LadderFixture.start(config);
        for (int i = 1; i <= 3; i++) {
            broker.produce(
                    topic,
                    "kd-" + i,
                    "{\"order\":" + i + ",\"amount\":" + (10 * i) + "}",
                    Map.of("event-id", "e-dead-" + i));
            broker.produce(
                    topic,
                    "kd-" + i,
                    "{\"order\":" + i + ",\"note\":\"follower\"}",
                    Map.of("event-id", "e-follow-" + i));
        }
        broker.produce(topic, "kb", "{\"order\":\"bad\"}", Map.of("event-id", "e-bad", "source", "checkout"));
        for (int i = 1; i <= 5; i++) {
            broker.produce(topic, "ko-" + i, "{\"order\":\"ok-" + i + "\"}", Map.of("event-id", "e-ok-" + i));
        }
        main = new CommittedReader(broker.bootstrapServers(), topic);
        dlt = new CommittedReader(broker.bootstrapServers(), topics.deadLetter());
        out = new CommittedReader(broker.bootstrapServers(), topics.output().orElseThrow());
        await("4 dead letters")
                .atMost(Duration.ofSeconds(60))
                .until(() -> dlt.poll().size() == 4);
        browser = ConsoleBrowser.start();
        console = "http://localhost:" + app.port() + "/console/";
        System.out.printf(
                "ConsoleIT: app, 4 dead letters and Chromium ready in %.1f s%n", (System.nanoTime() - started) / 1e9);
    }

    @AfterAll
    static void stop() throws Exception {
        ((Logger) LogManager.getLogger(Audit.LOGGER)).removeAppender(audit);
        audit.stop();
        for (AutoCloseable c : new AutoCloseable[] {browser, main, dlt, out, app, hook}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @Test
    void shouldRefuseCallersWithoutATokenReadTokensThatReplayAndCrossSiteRequests() throws Exception {
        assertThat(send("GET", "/api/ladder", null, Map.of()).statusCode()).isEqualTo(401);
        assertThat(send("GET", "/api/dead-letters", null, Map.of()).statusCode())
                .isEqualTo(401);
        assertThat(send("GET", "/health/ready", null, Map.of()).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/console/", null, Map.of()).statusCode())
                .as("static page")
                .isEqualTo(200);
        assertThat(send("GET", "/api/dead-letters", OpsTokens.READ, Map.of()).statusCode())
                .isEqualTo(200);
        assertThat(send("GET", "/api/replay/preview?key=kd-2", OpsTokens.READ, Map.of())
                        .statusCode())
                .as("a dry run only reads")
                .isEqualTo(200);
        HttpResponse<String> readReplay = send("POST", "/api/replay?key=kd-2", OpsTokens.READ, Map.of());
        assertThat(readReplay.statusCode()).isEqualTo(403);
        assertThat(readReplay.body()).contains("read-only");
        HttpResponse<String> foreign =
                send("POST", "/keys/kd-2/release", OpsTokens.OPERATOR, Map.of("Origin", "https://evil.example"));
        assertThat(foreign.statusCode()).isEqualTo(403);
        assertThat(foreign.body()).contains("cross-site");

        // a page of another origin makes the browser send a POST with a stolen operator token
        HttpServer other = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        other.createContext("/", ex -> {
            byte[] page = "<!doctype html><title>other site</title>".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, page.length);
            ex.getResponseBody().write(page);
            ex.close();
        });
        other.start();
        try {
            browser.open("http://127.0.0.1:" + other.getAddress().getPort() + "/");
            Object outcome = ((org.openqa.selenium.JavascriptExecutor) browser.driver())
                    .executeAsyncScript(
                            "const done = arguments[arguments.length - 1];"
                                    + "fetch(arguments[0], {method: 'POST', headers: {Authorization: 'Bearer ' + arguments[1]}})"
                                    + ".then(r => done('status ' + r.status), e => done('blocked: ' + e.name));",
                            "http://localhost:" + app.port() + "/keys/kd-2/release",
                            OpsTokens.OPERATOR);
            assertThat(String.valueOf(outcome)).startsWith("blocked");
            // the form-style POST a browser sends without asking (no token can ride along)
            Object simple = ((org.openqa.selenium.JavascriptExecutor) browser.driver())
                    .executeAsyncScript(
                            "const done = arguments[arguments.length - 1];"
                                    + "fetch(arguments[0], {method: 'POST', mode: 'no-cors'}).then(r => done(r.type), e => done('blocked'));",
                            "http://localhost:" + app.port() + "/keys/kd-2/release");
            assertThat(String.valueOf(simple)).isIn("opaque", "blocked");
        } finally {
            other.stop(0);
        }
        assertThat(send("GET", "/keys/blocked", OpsTokens.READ, Map.of()).body())
                .as("kd-2 still held")
                .contains("\"kd-2\"");
    }

    @Test
    void shouldShowTheLadderLive() {
        browser.open(console + "#token=" + OpsTokens.READ);
        browser.await("#tiers tbody tr[data-tier='2']");
        // a trickle of events that fail twice: the page shows them waiting on tier 1, and the rates move
        int[] produced = {0};
        browser.until(d -> {
            produced[0]++;
            broker.produce(
                    topics.main(),
                    "kr-" + produced[0],
                    "{\"retry\":" + produced[0] + "}",
                    Map.of("event-id", "e-retry-" + produced[0]));
            List<WebElement> main = d.findElements(By.cssSelector("#tiers tr[data-tier='0'] td"));
            List<WebElement> tier1 = d.findElements(By.cssSelector("#tiers tr[data-tier='1'] td"));
            return main.size() > 6
                            && tier1.size() > 6
                            && !tier1.get(3).getText().equals("0")
                            && !main.get(6).getText().equals("0.0/s")
                            && !main.get(6).getText().equals("–")
                    ? true
                    : null;
        });
        List<String> tiers = browser.texts("#tiers tbody tr");
        assertThat(tiers).hasSize(3);
        assertThat(tiers.get(0)).contains(topics.main());
        assertThat(tiers.get(1)).contains(topics.tier(1), "1s × 2");
        browser.awaitText("#breaker-state", "CLOSED");
        browser.awaitText("#dead-lettered", "4");
        browser.awaitText("#ladder-blocked", "kd-2");
        // it updates itself: a second look has rates
        String first = browser.texts("#updated").get(0);
        browser.until(d -> !d.findElement(By.id("updated")).getText().equals(first));
        assertThat(browser.driver().getCurrentUrl())
                .as("the token left the address bar")
                .doesNotContain("token=");
        browser.screenshot("ladder");
    }

    @Test
    void shouldListFilterAndShowDeadLettersInFull() {
        browser.open(console + "#token=" + OpsTokens.READ);
        browser.open(console + "#/dead-letters");
        browser.await("#dlt-table");
        assertThat(browser.all("#dlt-table tbody tr")).hasSize(4);
        browser.screenshot("dead-letters");

        browser.await("#f-httpStatus").sendKeys("400");
        browser.await("#apply-filters").click();
        browser.until(d -> browser.all("#dlt-table tbody tr").size() == 1 ? true : null);
        WebElement only = browser.all("#dlt-table tbody tr").get(0);
        assertThat(only.getText()).contains("kb", "e-bad", "400");

        only.findElement(By.cssSelector("a")).click();
        browser.await("#dlt-errors");
        assertThat(browser.await("#dlt-value").getText()).isEqualTo("{\"order\":\"bad\"}");
        assertThat(browser.all("#dlt-errors tbody tr")).hasSize(1);
        assertThat(browser.all("#dlt-errors tbody tr").get(0).getText()).contains("400");
        assertThat(browser.driver().findElement(By.tagName("main")).getText()).contains("source", "checkout");
        browser.screenshot("dead-letter");
        browser.await("#value-toggle").click();
        assertThat(browser.await("#dlt-value").getText()).isEqualTo("7b226f72646572223a22626164227d");
    }

    @Test
    void shouldDryRunThenReplayAtARateWithTheCliReplayIds() {
        browser.open(console + "#token=" + OpsTokens.OPERATOR);
        browser.open(console + "#/replay?httpStatus=500");
        browser.await("#dry-run").click();
        browser.awaitText("#dry-run-count", "3 dead letters would be sent to " + topics.main());
        assertThat(browser.all("#dry-run-sample tbody tr")).hasSize(3);
        assertThat(browser.await("#dry-run-sample").getText()).contains("e-dead-1~replay-");
        assertThat(replays()).as("a dry run sends nothing").isEmpty();

        WebElement rate = browser.await("#f-rate");
        rate.clear();
        rate.sendKeys("20");
        browser.await("#start-replay").click();
        browser.until(d -> d.findElements(By.cssSelector("#replay-status[data-state='done']"))
                        .isEmpty()
                ? null
                : true);
        assertThat(browser.await("#replay-status").getText()).contains("3 replayed");
        assertThat(audit.lines)
                .anySatisfy(line -> assertThat(line)
                        .startsWith("INFO who=it-operator role=operator action=replay count=3 detail=replay ")
                        .contains("httpStatus=500"));
        browser.screenshot("replay");

        // the main topic got the three dead letters back, with the CLI's replay ids; the DLT is unchanged
        await("3 replays on the main topic")
                .atMost(Duration.ofSeconds(30))
                .until(() -> replays().size() == 3);
        assertThat(replays()).allSatisfy(id -> assertThat(id).matches("e-dead-[123]~replay-\\d+-\\d+"));
        assertThat(dlt.poll()).hasSize(4);
    }

    @Test
    void shouldTellWhereAnEventIs() {
        browser.open(console + "#token=" + OpsTokens.READ);
        browser.open(console + "#/event/e-follow-2");
        assertThat(browser.await("#event-status").getText()).isEqualTo("PARKED");
        assertThat(browser.await("#event-table").getText()).contains("e-follow-2", topics.main());
        browser.screenshot("event");
        browser.open(console + "#/event/e-dead-2");
        browser.awaitText("#event-status", "DEAD_LETTERED");
        browser.open(console + "#/event/never-seen");
        browser.awaitText("#event-result", "No instance knows event never-seen");
    }

    @Test
    void shouldReleaseABlockedKeySoItsParkedEventRuns() {
        browser.open(console + "#token=" + OpsTokens.OPERATOR);
        browser.open(console + "#/keys");
        browser.await("#keys-table tr[data-key='kd-3']");
        assertThat(browser.await("#keys-table").getText()).contains("kd-1", "kd-2", "kb");
        browser.screenshot("keys");

        WebElement release = browser.await("#keys-table tr[data-key='kd-3'] button");
        release.click();
        assertThat(release.getText()).isEqualTo("Confirm release");
        release.click();
        browser.awaitText("#keys-message", "Release of kd-3 requested");
        assertThat(audit.lines)
                .contains(
                        "INFO who=it-operator role=operator action=release-key count=1 detail=key kd-3 on partition 1");

        await("e-follow-3 handled after the release")
                .atMost(Duration.ofSeconds(30))
                .until(() -> out.poll().stream().anyMatch(r -> "e-follow-3".equals(header(r, "event-id"))));
        await("kd-3 no longer held")
                .atMost(Duration.ofSeconds(30))
                .until(() -> !send("GET", "/keys/blocked", OpsTokens.READ, Map.of())
                        .body()
                        .contains("\"kd-3\""));
    }

    /** The event ids of the replays on the main topic so far. */
    private static List<String> replays() {
        return main.poll().stream()
                .map(r -> header(r, "event-id"))
                .filter(id -> id.contains("~replay-"))
                .toList();
    }

    private static HttpResponse<String> send(String method, String path, String token, Map<String, String> headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
