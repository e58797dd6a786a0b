package dev.ladder.it;

import static dev.ladder.it.CommittedReader.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ladder.app.LadderApp;
import dev.ladder.config.LadderConfig;
import dev.ladder.kernel.LadderHeaders;
import dev.ladder.policy.TopicNames;
import dev.ladder.testing.TestHttpServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ladder started before its broker can be reached is alive but not ready, waits instead of
 * failing, and becomes ready and processes events once the broker answers.
 */
class BrokerUnavailableIT {

    @RegisterExtension
    static final KafkaBroker broker = KafkaBroker.shared();

    @TempDir
    Path dir;

    @Test
    void shouldBeLiveNotReadyWhileTheBrokerIsUnreachableThenProcess() throws Exception {
        // given a main topic on the real broker, and bootstrap servers pointing at a port where nothing listens yet
        String main = broker.uniqueTopic("late");
        broker.createTopic(main, 2);
        String[] real = broker.bootstrapServers().split(":");
        try (TestHttpServer hook = TestHttpServer.byEvent((id, arrival) -> 200);
                TcpGate gate = new TcpGate()) {
            LadderConfig config = new LadderFixture(
                            broker.uniqueId("ladder-late"), "127.0.0.1:" + gate.port(), main, hook.url())
                    .load(dir.resolve("conf"), dir.resolve("state"));
            TopicNames topics = LadderFixture.topics(config);
            try (LadderApp app = new LadderApp(config, null, true).start()) {
                // then while unreachable: live, not ready, and not failed
                await("live and not ready while the broker is unreachable")
                        .during(Duration.ofSeconds(3))
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> LadderFixture.get(app.port(), "/health/live") == 200
                                && LadderFixture.get(app.port(), "/health/ready") == 503);
                assertThat(app.failure()).isEmpty();

                // when the broker becomes reachable
                gate.open(real[0], Integer.parseInt(real[1]));

                // then it gets ready and processes events
                await("ready once the broker is reachable")
                        .atMost(Duration.ofSeconds(90))
                        .until(() -> LadderFixture.get(app.port(), "/health/ready") == 200);
                broker.produce(main, "k", "hello", Map.of("event-id", "late-1"));
                try (CommittedReader out = new CommittedReader(
                        broker.bootstrapServers(), topics.output().orElseThrow())) {
                    await("late-1 in the output topic")
                            .atMost(Duration.ofSeconds(30))
                            .pollInterval(Duration.ZERO)
                            .until(() -> out.poll().stream()
                                    .anyMatch(r -> "late-1".equals(header(r, LadderHeaders.EVENT_ID))));
                }
                assertThat(hook.arrivals("late-1")).hasSize(1);
            }
        }
    }
}
