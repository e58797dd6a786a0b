package dev.ladder.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ladder.config.LadderConfigLoader;
import dev.ladder.policy.TopicNames;
import dev.ladder.testing.TestHttpServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ladder run} in its own JVM, killed with SIGKILL mid-run and started again on the same
 * configuration and state directory: with exactly-once, nothing is lost, nothing is written twice
 * and each key keeps its order.
 */
class CrashRecoveryIT {

    @RegisterExtension
    static final KafkaBroker broker = KafkaBroker.shared();

    private static final int KEYS = 30;
    private static final int PER_KEY = 10;

    @TempDir
    Path dir;

    @Test
    void shouldLoseAndDuplicateNothingAndKeepKeyOrderAcrossAKill() throws Exception {
        // given 300 keyed events, about 30% failing twice before they succeed and 5% always failing
        KeyedLoad load = new KeyedLoad(KEYS, PER_KEY);
        try (TestHttpServer hook = TestHttpServer.byEvent(load.script())) {
            String main = broker.uniqueTopic("crash");
            broker.createTopic(main, 3);
            Path config = new LadderFixture(
                            broker.uniqueId("ladder-crash"), broker.bootstrapServers(), main, hook.url())
                    .write(dir.resolve("conf"), dir.resolve("state"));
            TopicNames topics = LadderFixture.topics(LadderConfigLoader.load(config, Map.of()));
            load.produce(broker, main);
            Path log1 = dir.resolve("ladder-1.log");
            Path log2 = dir.resolve("ladder-2.log");
            Process first = LadderProcess.run(config, log1);
            Process second = null;
            try {
                await("output topic created by the first Ladder")
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> broker.admin()
                                .listTopics()
                                .names()
                                .get()
                                .contains(topics.output().orElseThrow()));
                try (CommittedReader out = new CommittedReader(
                                broker.bootstrapServers(), topics.output().orElseThrow());
                        CommittedReader dlt = new CommittedReader(broker.bootstrapServers(), topics.deadLetter())) {
                    // when the processor is killed hard once part of the work is committed
                    await("60 committed outputs before the kill")
                            .atMost(Duration.ofSeconds(90))
                            .pollInterval(Duration.ZERO)
                            .until(() -> out.poll().size() >= 60 || !first.isAlive());
                    assertThat(first.isAlive()).as("first Ladder still running").isTrue();
                    first.destroyForcibly();
                    assertThat(first.waitFor(30, TimeUnit.SECONDS))
                            .as("first Ladder killed")
                            .isTrue();
                    int atKill = KeyedLoad.ids(out.poll()).size()
                            + KeyedLoad.ids(dlt.poll()).size();
                    assertThat(atKill)
                            .as("events settled when killed (must be mid-run)")
                            .isLessThan(load.events().size());
                    System.out.printf(
                            "killed with %d of %d events settled%n",
                            atKill, load.events().size());

                    // and a new one starts on the same configuration and state directory
                    second = LadderProcess.run(config, log2);

                    // then every event ends once, in the topic its fate says, each key in order
                    Process running = second;
                    await("all 300 events in the output or dead-letter topic after the restart")
                            .atMost(Duration.ofSeconds(150))
                            .pollInterval(Duration.ofMillis(100))
                            .until(() -> load.settled(out.poll(), dlt.poll()) || !running.isAlive());
                    assertThat(second.isAlive())
                            .as("second Ladder still running")
                            .isTrue();
                    // a late duplicate would show up here
                    int settled = out.poll().size() + dlt.poll().size();
                    await("no further records after all events settled")
                            .during(Duration.ofSeconds(2))
                            .atMost(Duration.ofSeconds(10))
                            .until(() -> out.poll().size() + dlt.poll().size() == settled);
                    load.assertExactlyOnceInOrder(out.poll(), dlt.poll());
                    assertThat(hook.total())
                            .as("calls made")
                            .isGreaterThanOrEqualTo(load.events().size());
                }
            } catch (Throwable t) {
                System.out.println("---- first Ladder (killed) ----\n" + LadderProcess.output(log1));
                System.out.println("---- second Ladder ----\n" + LadderProcess.output(log2));
                throw t;
            } finally {
                first.destroyForcibly();
                if (second != null) {
                    second.destroy(); // SIGTERM: the graceful stop
                    if (!second.waitFor(60, TimeUnit.SECONDS)) {
                        second.destroyForcibly();
                    }
                }
            }
        }
    }
}
