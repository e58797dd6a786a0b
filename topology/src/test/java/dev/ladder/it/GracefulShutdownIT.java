package dev.ladder.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM, the way Kubernetes stops a pod: Streams closes cleanly and the process exits 0. */
class GracefulShutdownIT {

    @RegisterExtension
    static final KafkaBroker broker = KafkaBroker.shared();

    @TempDir
    Path dir;

    @Test
    void shouldCloseCleanlyAndExitZeroOnSigterm() throws Exception {
        // given `ladder run` in its own JVM, processing events
        try (HookServer hook = new HookServer((id, arrival) -> 200)) {
            String main = broker.uniqueTopic("sigterm");
            broker.createTopic(main, 2);
            Path config = new LadderFixture(
                            broker.uniqueId("ladder-sigterm"), broker.bootstrapServers(), main, hook.url())
                    .write(dir.resolve("conf"), dir.resolve("state"));
            Path log = dir.resolve("ladder.log");
            Process ladder = start(config, log);
            try {
                await("Kafka Streams RUNNING in the child JVM")
                        .atMost(Duration.ofSeconds(90))
                        .until(() -> read(log).contains("-> RUNNING") || !ladder.isAlive());
                broker.produce(main, "k", "v", Map.of("event-id", "sigterm-1"));
                broker.consumeAll(main + "-out", 1, Duration.ofSeconds(60));

                // when it gets SIGTERM
                ladder.destroy();

                // then it stops within the grace period, says so, and exits 0
                assertThat(ladder.waitFor(90, TimeUnit.SECONDS)).as("stopped").isTrue();
                assertThat(ladder.exitValue()).as("exit code").isZero();
                assertThat(read(log)).contains("Ladder stopped").contains("-> NOT_RUNNING");
            } catch (Throwable t) {
                System.out.println("---- ladder run ----\n" + read(log));
                throw t;
            } finally {
                ladder.destroyForcibly();
            }
        }
    }

    private static Process start(Path config, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(
                java,
                "-Xmx384m",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.ladder.app.cli.LadderCli",
                "run",
                "--config",
                config.toString());
        pb.environment().keySet().removeIf(name -> name.startsWith("LADDER_") || name.startsWith("KAFKA_"));
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        return pb.start();
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }
}
