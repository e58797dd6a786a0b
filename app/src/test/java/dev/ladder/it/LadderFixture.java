package dev.ladder.it;

import static org.awaitility.Awaitility.await;

import dev.ladder.app.LadderApp;
import dev.ladder.config.LadderConfig;
import dev.ladder.config.LadderConfigLoader;
import dev.ladder.policy.TopicNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a Ladder YAML configuration for a test (short tiers: 1s x 2 then 2s x 1; punctuation every
 * 200ms; output on; {@code server.port: 0}; the ops tokens of {@link OpsTokens}) and loads it with {@link LadderConfigLoader}, so every
 * IT also goes through the real configuration path.
 */
final class LadderFixture {

    /** Tier 1: 1s, 2 attempts. */
    static final Duration TIER_1 = Duration.ofSeconds(1);
    /** Tier 2: 2s, 1 attempt. */
    static final Duration TIER_2 = Duration.ofSeconds(2);
    /** Attempts before an always-failing event is dead-lettered: 1 + 2 + 1. */
    static final int MAX_ATTEMPTS = 4;

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String applicationId;
    private final String bootstrapServers;
    private final String main;
    private final String hookUrl;
    private final Map<String, String> kafka = new LinkedHashMap<>();
    private String processingGuarantee = "exactly_once_v2";
    private String onDeadLetter = "release";

    LadderFixture(String applicationId, String bootstrapServers, String main, String hookUrl) {
        this.applicationId = applicationId;
        this.bootstrapServers = bootstrapServers;
        this.main = main;
        this.hookUrl = hookUrl;
        // A crashed or closed member (Streams does not leave the group on close) is noticed after 6s, not 45s.
        kafka.put("session.timeout.ms", "6000");
        kafka.put("heartbeat.interval.ms", "1500");
    }

    /** Sets {@code processing-guarantee} ({@code exactly_once_v2} unless told). */
    LadderFixture processingGuarantee(String guarantee) {
        this.processingGuarantee = guarantee;
        return this;
    }

    /** Sets {@code ordering.on-dead-letter} ({@code release} unless told). */
    LadderFixture onDeadLetter(String policy) {
        this.onDeadLetter = policy;
        return this;
    }

    LadderFixture kafka(String name, String value) {
        kafka.put(name, value);
        return this;
    }

    /** Writes {@code ladder.yaml} into {@code dir}, with {@code stateDir} as Streams state dir. */
    Path write(Path dir, Path stateDir) {
        StringBuilder kafkaYaml = new StringBuilder();
        kafka.forEach((k, v) ->
                kafkaYaml.append("  ").append(k).append(": \"").append(v).append("\"\n"));
        String yaml = """
                application-id: %s
                bootstrap-servers: "%s"
                state-dir: "%s"
                processing-guarantee: %s
                topics:
                  main: %s
                  output: true
                retry:
                  tiers:
                    - delay: 1s
                      attempts: 2
                    - delay: 2s
                      attempts: 1
                ordering:
                  on-dead-letter: %s
                punctuation-interval: 200ms
                handler:
                  timeout: 5s
                  http:
                    url: "%s"
                server:
                  port: 0
                %s
                kafka:
                %s""".formatted(
                        applicationId,
                        bootstrapServers,
                        stateDir.toAbsolutePath(),
                        processingGuarantee,
                        main,
                        onDeadLetter,
                        hookUrl,
                        OpsTokens.SERVER_AUTH.stripTrailing(),
                        kafkaYaml);
        try {
            Files.createDirectories(dir);
            OpsTokens.writeFiles(dir);
            return Files.writeString(dir.resolve("ladder.yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the file and loads it the way {@code ladder run} does. */
    LadderConfig load(Path dir, Path stateDir) {
        return LadderConfigLoader.load(write(dir, stateDir), Map.of());
    }

    /** Starts Ladder on the configuration (creating its topics) and waits until it is ready. */
    static LadderApp start(LadderConfig config) {
        LadderApp app = new LadderApp(config, null, true).start();
        await("Ladder ready").atMost(Duration.ofSeconds(60)).until(() -> get(app.port(), "/health/ready") == 200);
        return app;
    }

    /** Ladder's topic names for this configuration. */
    static TopicNames topics(LadderConfig config) {
        return config.toSettings().topics();
    }

    /** GET {@code http://127.0.0.1:port/path} with the operator token; the status code. */
    static int get(int port, String path) {
        return fetch(port, path).statusCode();
    }

    static HttpResponse<String> fetch(int port, String path) {
        try {
            return HTTP.send(
                    OpsTokens.asOperator(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)))
                            .timeout(Duration.ofSeconds(5))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
