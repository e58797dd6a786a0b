package dev.ladder.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ladder.app.LadderApp;
import dev.ladder.config.LadderConfig;
import dev.ladder.config.LadderConfigLoader;
import dev.ladder.handler.EventHandler;
import dev.ladder.handler.NonRetryableException;
import dev.ladder.handler.Outcome;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every metric the Grafana dashboard and the alert rules use ({@code deploy/metrics-contract.txt})
 * appears in a real {@code /metrics} scrape of a running Ladder that has retried, succeeded and
 * dead-lettered events.
 */
class MetricsContractIT {

    @RegisterExtension
    static final KafkaBroker broker = KafkaBroker.shared();

    @TempDir
    Path dir;

    @Test
    void shouldExportEveryMetricTheDashboardsAndAlertsUse() throws Exception {
        // given a running Ladder whose handler succeeds, retries once, or fails for good
        String main = broker.uniqueTopic("metrics");
        broker.createTopic(main, 2);
        Map<String, Integer> calls = new ConcurrentHashMap<>();
        EventHandler handler = event -> {
            String value = new String(event.value(), StandardCharsets.UTF_8);
            int n = calls.merge(event.eventId(), 1, Integer::sum);
            if (value.equals("dead")) {
                throw new NonRetryableException("bad order");
            }
            return value.equals("retry") && n == 1 ? Outcome.retry("busy") : Outcome.success();
        };
        Path config = dir.resolve("ladder.yaml");
        Files.writeString(config, """
                application-id: %s
                bootstrap-servers: %s
                state-dir: %s
                topics: {main: %s, output: true}
                retry:
                  tiers: [{delay: 1s, attempts: 1}]
                punctuation-interval: 200ms
                handler: {type: class, class: unused.Handler}
                server: {port: 0}
                """.formatted(
                        broker.uniqueId("metrics-app"), broker.bootstrapServers(), dir.resolve("state"), main));
        LadderConfig loaded = LadderConfigLoader.load(config, Map.of());
        try (LadderApp app = new LadderApp(loaded, handler, true).start()) {
            await("Ladder ready")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> get(app, "/health/ready").statusCode() == 200);

            // when events of every kind went through
            broker.produce(main, "a", "ok", Map.of());
            broker.produce(main, "b", "retry", Map.of());
            broker.produce(main, "c", "dead", Map.of());
            broker.consumeAll(main + "-out", 2, Duration.ofSeconds(60));
            broker.consumeAll(main + "-dlt", 1, Duration.ofSeconds(60));

            // then every contract name is in the scrape
            List<String> contract = Files.readAllLines(Path.of("..", "deploy", "metrics-contract.txt")).stream()
                    .map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                    .toList();
            assertThat(contract).contains("ladder_events_total", "ladder_retry_lateness_seconds_bucket");
            await("every contract metric exported")
                    .atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> {
                        Set<String> exported = get(app, "/metrics")
                                .body()
                                .lines()
                                .filter(l -> !l.startsWith("#") && !l.isBlank())
                                .map(l -> l.split("[{ ]", 2)[0])
                                .collect(Collectors.toSet());
                        assertThat(exported).containsAll(contract);
                    });
        }
    }

    private static HttpResponse<String> get(LadderApp app, String path) throws Exception {
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }
}
