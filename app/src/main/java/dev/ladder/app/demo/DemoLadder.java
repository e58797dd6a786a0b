package dev.ladder.app.demo;

import dev.ladder.config.LadderConfig;
import dev.ladder.config.LadderConfigLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * The demo's Ladder configuration: the same YAML a user would write, with short tiers so that a
 * run takes a minute, loaded through {@link LadderConfigLoader} so it is validated like any other.
 */
final class DemoLadder {

    /** The demo's main topic. */
    static final String MAIN_TOPIC = "demo-orders";
    /** Partitions of the main topic (and so of every Ladder topic). */
    static final int PARTITIONS = 3;

    private DemoLadder() {}

    /** A fresh random operator token for one demo run: 32 random bytes as hex. */
    static String randomToken() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * The configuration for a broker, an endpoint and a state directory, with {@code opsToken} as
     * the one operator token of the console (read from a reference like any other secret).
     */
    static LadderConfig config(String bootstrapServers, URI endpoint, Path stateDir, String opsToken) {
        String yaml = """
                application-id: ladder-demo
                bootstrap-servers: "%s"
                state-dir: "%s"
                processing-guarantee: exactly_once_v2
                topics:
                  main: %s
                  output: true
                retry:
                  tiers:
                    - {delay: 2s, attempts: 2}
                    - {delay: 5s, attempts: 2}
                    - {delay: 10s, attempts: 1}
                punctuation-interval: 500ms
                handler:
                  type: http
                  timeout: 5s
                  http:
                    url: "%s"
                    headers:
                      Content-Type: application/json
                    connect-timeout: 2s
                server:
                  port: 0
                  auth:
                    tokens:
                      - {name: demo, role: operator, token: "${env:DEMO_OPS_TOKEN}"}
                kafka:
                  num.stream.threads: 1
                  commit.interval.ms: 100
                """.formatted(
                bootstrapServers, stateDir.toAbsolutePath().toString().replace("\\", "/"), MAIN_TOPIC, endpoint);
        try {
            Path file = Files.createTempFile(stateDir, "ladder-demo-", ".yaml");
            Files.writeString(file, yaml);
            // an empty environment: LADDER_* variables meant for a real deployment must not leak in
            return LadderConfigLoader.load(file, Map.of("DEMO_OPS_TOKEN", opsToken));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the demo configuration", e);
        }
    }
}
