package dev.ladder.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ladder.testing.TestHttpServer;
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
        try (TestHttpServer hook = TestHttpServer.byEvent((id, arrival) -> 200)) {
            String main = broker.uniqueTopic("sigterm");
            broker.createTopic(main, 2);
            Path config = new LadderFixture(
                            broker.uniqueId("ladder-sigterm"), broker.bootstrapServers(), main, hook.url())
                    .write(dir.resolve("conf"), dir.resolve("state"));
            Path log = dir.resolve("ladder.log");
            Process ladder = LadderProcess.run(config, log);
            try {
                await("Kafka Streams RUNNING in the child JVM")
                        .atMost(Duration.ofSeconds(90))
                        .until(() -> LadderProcess.output(log).contains("-> RUNNING") || !ladder.isAlive());
                broker.produce(main, "k", "v", Map.of("event-id", "sigterm-1"));
                broker.consumeAll(main + "-out", 1, Duration.ofSeconds(60));

                // when it gets SIGTERM
                ladder.destroy();

                // then it stops within the grace period, says so, and exits 0
                assertThat(ladder.waitFor(90, TimeUnit.SECONDS)).as("stopped").isTrue();
                assertThat(ladder.exitValue()).as("exit code").isZero();
                assertThat(LadderProcess.output(log)).contains("Ladder stopped").contains("-> NOT_RUNNING");
            } catch (Throwable t) {
                System.out.println("---- ladder run ----\n" + LadderProcess.output(log));
                throw t;
            } finally {
                ladder.destroyForcibly();
            }
        }
    }
}
