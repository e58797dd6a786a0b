package dev.ladder.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ladder.app.cli.LadderCli;
import dev.ladder.testing.TestHttpServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ladder run} under Kubernetes with the ConfigMap changed in place: an invalid version is
 * logged and the process keeps running; a valid version that needs a restart closes Streams
 * cleanly and exits with code 3, so that the kubelet restarts the container on the new file.
 */
class ConfigRestartIT {

    @RegisterExtension
    static final KafkaBroker broker = KafkaBroker.shared();

    @TempDir
    Path dir;

    @Test
    void shouldKeepRunningOnAnInvalidVersionAndExitThreeOnOneThatNeedsARestart() throws Exception {
        try (TestHttpServer hook = TestHttpServer.byEvent((id, arrival) -> 200)) {
            // given `ladder run` in its own JVM, checking its file every 200ms
            String main = broker.uniqueTopic("restart");
            broker.createTopic(main, 1);
            LadderFixture fixture =
                    new LadderFixture(broker.uniqueId("ladder-restart"), broker.bootstrapServers(), main, hook.url());
            Path file = fixture.write(dir.resolve("conf"), dir.resolve("state"));
            String valid = Files.readString(file) + "\nreload-interval: 200ms\n";
            GateFixture.write(file, valid);
            Path log = dir.resolve("ladder.log");
            Process ladder = LadderProcess.run(file, log);
            try {
                await("Kafka Streams RUNNING in the child JVM")
                        .atMost(Duration.ofSeconds(90))
                        .until(() -> LadderProcess.output(log).contains("-> RUNNING") || !ladder.isAlive());

                // when an invalid version arrives (no tier may have 0 attempts; and a new Kafka property)
                GateFixture.write(
                        file,
                        valid.replace("attempts: 2", "attempts: 0")
                                .replace("kafka:\n", "kafka:\n  linger.ms: \"7\"\n"));

                // then it is logged and the process keeps running
                await("invalid version logged")
                        .atMost(Duration.ofSeconds(20))
                        .until(() -> LadderProcess.output(log).contains("is invalid, the running settings stay"));
                assertThat(ladder.waitFor(2, TimeUnit.SECONDS))
                        .as("still running")
                        .isFalse();

                // when a valid version changes a Kafka property, which only a restart applies
                GateFixture.write(file, valid.replace("kafka:\n", "kafka:\n  linger.ms: \"7\"\n"));

                // then Streams closes cleanly and the process exits with the restart code
                assertThat(ladder.waitFor(90, TimeUnit.SECONDS)).as("stopped").isTrue();
                assertThat(ladder.exitValue()).as("exit code").isEqualTo(LadderCli.RESTART);
                assertThat(LadderProcess.output(log))
                        .contains("configuration change needs a restart")
                        .contains("-> NOT_RUNNING")
                        .contains("Ladder stopped");
            } catch (Throwable t) {
                System.out.println("---- ladder run ----\n" + LadderProcess.output(log));
                throw t;
            } finally {
                ladder.destroyForcibly();
            }
        }
    }
}
