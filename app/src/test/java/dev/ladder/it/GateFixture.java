package dev.ladder.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Ladder YAML for the gate ITs: tiers 1s x2 then 2s x1 (as {@link LadderFixture}), punctuation
 * every 200ms, output on, a free ops port, one stream thread, plus whatever {@code extra} top-level
 * sections a test adds (breaker, rate-limit, reload-interval).
 */
final class GateFixture {

    private GateFixture() {}

    static String yaml(
            String appId,
            String bootstrap,
            Path stateDir,
            String main,
            String url,
            String tier1Delay,
            int tier1Attempts,
            String extra) {
        return """
                application-id: %s
                bootstrap-servers: "%s"
                state-dir: "%s"
                topics:
                  main: %s
                  output: true
                retry:
                  tiers:
                    - delay: %s
                      attempts: %d
                    - delay: 2s
                      attempts: 1
                punctuation-interval: 200ms
                handler:
                  timeout: 5s
                  http:
                    url: "%s"
                server:
                  port: 0
                %s
                kafka:
                  session.timeout.ms: "6000"
                  heartbeat.interval.ms: "1500"
                  num.stream.threads: "1"
                %s
                """.formatted(
                        appId,
                        bootstrap,
                        stateDir.toAbsolutePath(),
                        main,
                        tier1Delay,
                        tier1Attempts,
                        url,
                        OpsTokens.SERVER_AUTH.stripTrailing(),
                        extra);
    }

    /** Writes the file atomically (a watcher never sees half of it), with the ops token files next to it. */
    static Path write(Path file, String yaml) {
        try {
            Files.createDirectories(file.getParent());
            OpsTokens.writeFiles(file.getParent());
            Path tmp = Files.writeString(file.resolveSibling(file.getFileName() + ".tmp"), yaml);
            return Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
