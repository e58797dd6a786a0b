package dev.ladder.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ladder.app.LadderApp;
import dev.ladder.config.LadderConfig;
import dev.ladder.config.LadderConfigLoader;
import dev.ladder.policy.TopicNames;
import dev.ladder.testing.TestHttpServer;
import dev.ladder.testing.TestHttpServer.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A downstream that answers 429 with {@code Retry-After: 2}: Ladder makes no call at all until the
 * pause is over (measured on the server's arrival log), and nothing is lost.
 */
class ThrottlingIT {

    @RegisterExtension
    static final KafkaBroker broker = KafkaBroker.shared();

    private static final int FAST_CALLS = 20;
    private static final int THROTTLED_CALLS = 3;
    private static final long PAUSE_MILLIS = 2_000;

    @TempDir
    Path dir;

    /** Calls already in flight when a 429 comes back arrive within this of it. */
    private static final long IN_FLIGHT_GRACE_MILLIS = 300;

    @Test
    void shouldPauseEveryCallAfterA429AndLoseNothing() throws Exception {
        // given: the first 20 calls succeed, the next 3 get 429 Retry-After: 2, then all succeed
        // (3 < 4 attempts, so even three 429s on one event cannot dead-letter it)
        try (TestHttpServer downstream = TestHttpServer.byOrder(
                (id, number, now) -> number > FAST_CALLS && number <= FAST_CALLS + THROTTLED_CALLS
                        ? Reply.of(429).header("Retry-After", "2")
                        : Reply.of(200))) {
            String main = broker.uniqueTopic("throttle");
            broker.createTopic(main, 3);
            Path file = GateFixture.write(
                    dir.resolve("ladder.yaml"),
                    GateFixture.yaml(
                            broker.uniqueId("ladder-throttle"),
                            broker.bootstrapServers(),
                            dir.resolve("state"),
                            main,
                            downstream.url(),
                            "1s",
                            2,
                            ""));
            LadderConfig config = LadderConfigLoader.load(file, Map.of());
            TopicNames topics = config.toSettings().topics();
            int events = 60;
            try (LadderApp app = new LadderApp(config, null, true).start()) {
                await("Ladder ready")
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> LadderFixture.get(app.port(), "/health/ready") == 200);
                try (CommittedReader out = new CommittedReader(
                                broker.bootstrapServers(), topics.output().orElseThrow());
                        CommittedReader dlt = new CommittedReader(broker.bootstrapServers(), topics.deadLetter())) {

                    // when
                    Set<String> ids = new HashSet<>();
                    for (int i = 0; i < events; i++) {
                        String id = "t-" + i;
                        ids.add(id);
                        broker.produce(main, "key-" + (i % 10), "v" + i, Map.of("event-id", id));
                    }

                    // then nothing is lost
                    await("every event in the output")
                            .atMost(Duration.ofSeconds(90))
                            .pollInterval(Duration.ofMillis(200))
                            .until(() -> KeyedLoad.ids(out.poll()).containsAll(ids));
                    assertThat(dlt.poll()).as("dead letters").isEmpty();
                    assertThat(downstream.countByStatus(200))
                            .hasSize(events)
                            .allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1L));

                    // and after every 429 no call was started before its Retry-After was over: calls
                    // already in flight when the 429 came back may still arrive just after it
                    List<TestHttpServer.Call> all = downstream.arrivals();
                    assertThat(all.stream().filter(a -> a.status() == 429)).hasSize(THROTTLED_CALLS);
                    for (int i = 0; i < all.size(); i++) {
                        if (all.get(i).status() == 429) {
                            long at = all.get(i).epochMillis();
                            assertThat(all.stream()
                                            .filter(a -> a.epochMillis() > at + IN_FLIGHT_GRACE_MILLIS
                                                    && a.epochMillis() < at + PAUSE_MILLIS - 50))
                                    .as("calls started during the pause after the 429 of call %d", i + 1)
                                    .isEmpty();
                        }
                    }
                    // and the rate after the last pause starts below the rate before the first 429
                    long first429 = all.get(FAST_CALLS).epochMillis();
                    long last429 = all.get(FAST_CALLS + THROTTLED_CALLS - 1).epochMillis();
                    long before = downstream.callsBetween(first429 - 1_000, first429);
                    long after = downstream.callsBetween(last429 + PAUSE_MILLIS, last429 + PAUSE_MILLIS + 1_000);
                    System.out.printf(
                            "ThrottlingIT: %d calls in the second before the first 429, %d in the first second after the last pause, %d calls in total%n",
                            before, after, all.size());
                    assertThat(after)
                            .as("calls in the first second after the pause")
                            .isLessThan(Math.max(before, 2));
                }
            }
        }
    }
}
