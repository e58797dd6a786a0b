package dev.ladder.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ladder.app.LadderApp;
import dev.ladder.config.LadderConfig;
import dev.ladder.policy.TopicNames;
import dev.ladder.testing.TestHttpServer;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Ladder instances of one application share a 4-partition main topic; one stops mid-run and
 * the other takes over its partitions, timers and parked events: nothing is lost or written twice
 * and each key keeps its order.
 */
class TwoInstancesIT {

    @RegisterExtension
    static final KafkaBroker broker = KafkaBroker.shared();

    @TempDir
    Path dir;

    @Test
    void shouldKeepEveryGuaranteeWhenOneOfTwoInstancesStops() throws Exception {
        // given two instances (own state dirs, own ports, one application id) on a 4-partition topic
        KeyedLoad load = new KeyedLoad(20, 10);
        String main = broker.uniqueTopic("pair");
        broker.createTopic(main, 4);
        try (TestHttpServer hook = TestHttpServer.byEvent(load.script())) {
            LadderFixture fixture =
                    new LadderFixture(broker.uniqueId("ladder-pair"), broker.bootstrapServers(), main, hook.url());
            LadderConfig configA = fixture.load(dir.resolve("a"), dir.resolve("a-state"));
            LadderConfig configB = fixture.load(dir.resolve("b"), dir.resolve("b-state"));
            TopicNames topics = LadderFixture.topics(configA);
            LadderApp b = new LadderApp(configB, null, true);
            boolean bStopped = false;
            try (LadderApp a = new LadderApp(configA, null, true).start()) {
                b.start();
                await("both instances running")
                        .atMost(Duration.ofSeconds(90))
                        .until(() -> a.failure().isPresent()
                                || b.failure().isPresent()
                                || a.state() == KafkaStreams.State.RUNNING && b.state() == KafkaStreams.State.RUNNING);
                assertThat(a.failure()).as("A's failure").isEmpty();
                assertThat(b.failure()).as("B's failure").isEmpty();
                assertThat(assignedTasks(a)).as("tasks of A").isPositive();
                assertThat(assignedTasks(b)).as("tasks of B").isPositive();
                try (CommittedReader out = new CommittedReader(
                                broker.bootstrapServers(), topics.output().orElseThrow());
                        CommittedReader dlt = new CommittedReader(broker.bootstrapServers(), topics.deadLetter())) {
                    load.produce(broker, main);

                    // when B stops once part of the work is committed
                    await("40 committed outputs before B stops")
                            .atMost(Duration.ofSeconds(60))
                            .pollInterval(Duration.ZERO)
                            .until(() -> out.poll().size() >= 40);
                    b.close();
                    bStopped = true;
                    int atStop = KeyedLoad.ids(out.poll()).size()
                            + KeyedLoad.ids(dlt.poll()).size();
                    System.out.printf(
                            "B stopped with %d of %d events settled%n",
                            atStop, load.events().size());
                    assertThat(atStop)
                            .as("events settled when B stopped (must be mid-run)")
                            .isLessThan(load.events().size());

                    // then A finishes everything: each event once, in the topic its fate says, keys in order
                    await("all 200 events in the output or dead-letter topic")
                            .atMost(Duration.ofSeconds(120))
                            .pollInterval(Duration.ofMillis(100))
                            .until(() -> load.settled(out.poll(), dlt.poll()));
                    int settled = out.poll().size() + dlt.poll().size();
                    await("no further records after all events settled")
                            .during(Duration.ofSeconds(2))
                            .atMost(Duration.ofSeconds(10))
                            .until(() -> out.poll().size() + dlt.poll().size() == settled);
                    load.assertExactlyOnceInOrder(out.poll(), dlt.poll());
                    assertThat(assignedTasks(a))
                            .as("A owns every task after B left")
                            .isEqualTo(4);
                }
            } finally {
                if (!bStopped) {
                    b.close();
                }
            }
        }
    }

    private static int assignedTasks(LadderApp app) {
        return app.streams().orElseThrow().metadataForLocalThreads().stream()
                .mapToInt(t -> t.activeTasks().size())
                .sum();
    }
}
