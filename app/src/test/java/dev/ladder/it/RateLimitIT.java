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
 * {@code rate-limit.calls-per-second: 10} with a backlog: over 30 s the downstream sees at most
 * 10/s + 10 % plus one second of burst, and at least half the cap; no one-second window exceeds two
 * seconds' worth (the burst plus the pace).
 */
class RateLimitIT {

    @RegisterExtension
    static final KafkaBroker broker = KafkaBroker.shared();

    /** Well below what one stream thread manages here unthrottled (about 16-18 calls/s), so the cap is what limits. */
    private static final int RATE = 10;

    private static final Duration WINDOW = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void shouldKeepTheCallRateUnderTheCap() throws Exception {
        try (TestHttpServer downstream = TestHttpServer.byOrder((id, number, now) -> Reply.of(200))) {
            // given
            String main = broker.uniqueTopic("ratelimit");
            broker.createTopic(main, 3);
            Path file = GateFixture.write(
                    dir.resolve("ladder.yaml"),
                    GateFixture.yaml(
                            broker.uniqueId("ladder-rate"),
                            broker.bootstrapServers(),
                            dir.resolve("state"),
                            main,
                            downstream.url(),
                            "1s",
                            2,
                            "rate-limit:\n  calls-per-second: " + RATE + "\n"));
            LadderConfig config = LadderConfigLoader.load(file, Map.of());
            TopicNames topics = config.toSettings().topics();
            int events = (int) (RATE * WINDOW.toSeconds() * 1.3);
            try (LadderApp app = new LadderApp(config, null, true).start()) {
                await("Ladder ready")
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> LadderFixture.get(app.port(), "/health/ready") == 200);

                // when a backlog larger than the window can take arrives
                Set<String> ids = new HashSet<>();
                for (int i = 0; i < events; i++) {
                    ids.add("r-" + i);
                    broker.produce(main, "key-" + (i % 50), "v" + i, Map.of("event-id", "r-" + i));
                }

                // then
                try (CommittedReader out = new CommittedReader(
                        broker.bootstrapServers(), topics.output().orElseThrow())) {
                    await("every event in the output")
                            .atMost(WINDOW.multipliedBy(3))
                            .pollInterval(Duration.ofMillis(500))
                            .until(() -> KeyedLoad.ids(out.poll()).containsAll(ids));
                }
                List<TestHttpServer.Call> all = downstream.arrivals();
                assertThat(all).hasSize(events);
                long start = all.get(0).epochMillis();
                long calls = downstream.callsBetween(start, start + WINDOW.toMillis());
                double rate = calls / (double) WINDOW.toSeconds();
                int maxPerSecond = 0;
                for (TestHttpServer.Call a : all) {
                    maxPerSecond = (int)
                            Math.max(maxPerSecond, downstream.callsBetween(a.epochMillis(), a.epochMillis() + 1_000));
                }
                System.out.printf(
                        "RateLimitIT: cap %d/s: %d calls in %s = %.2f/s; busiest second %d calls%n",
                        RATE, calls, WINDOW, rate, maxPerSecond);
                assertThat(calls)
                        .as("calls in %s", WINDOW)
                        .isLessThanOrEqualTo((long) (RATE * WINDOW.toSeconds() * 1.1) + RATE)
                        .isGreaterThanOrEqualTo((long) (RATE * WINDOW.toSeconds() * 0.5));
                assertThat(maxPerSecond).as("busiest one-second window").isLessThanOrEqualTo(2 * RATE + 1);
            }
        }
    }
}
