package dev.ladder.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ladder.app.LadderApp;
import dev.ladder.config.LadderConfig;
import dev.ladder.config.LadderConfigLoader;
import dev.ladder.policy.LadderSettings;
import dev.ladder.policy.TopicNames;
import dev.ladder.testing.TestHttpServer;
import dev.ladder.testing.TestHttpServer.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running Ladder watching its YAML file: a new rate limit and a new tier delay take effect
 * without a restart; an invalid version is refused, logged, and the settings in force keep working.
 */
class LiveReloadIT {

    @RegisterExtension
    static final KafkaBroker broker = KafkaBroker.shared();

    private static final String[] WATCHED = {"dev.ladder.app.ConfigWatcher", "dev.ladder.app.ConfigReloader"};

    @TempDir
    Path dir;

    @Test
    void shouldApplyANewRateLimitAndTierDelayLiveAndRefuseAnInvalidChange() throws Exception {
        CapturedLog log = new CapturedLog();
        log.start();
        for (String name : WATCHED) {
            ((Logger) LogManager.getLogger(name)).addAppender(log);
        }
        // "retry-*" events fail their first call with 503, everything else succeeds
        try (TestHttpServer downstream = TestHttpServer.byOrder((id, number, now) ->
                Reply.of(id.startsWith("retry-") && number == firstArrival(id, number) ? 503 : 200))) {
            String main = broker.uniqueTopic("reload");
            broker.createTopic(main, 3);
            String appId = broker.uniqueId("ladder-reload");
            Path state = dir.resolve("state");
            Path file = dir.resolve("conf/ladder.yaml");
            GateFixture.write(file, yaml(appId, state, main, downstream.url(), "1s", 2, 4));
            LadderConfig config = LadderConfigLoader.load(file, Map.of());
            TopicNames topics = config.toSettings().topics();
            try (LadderApp app = new LadderApp(config, null, true).start()) {
                app.watchConfig(file, Map.of());
                await("Ladder ready")
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> LadderFixture.get(app.port(), "/health/ready") == 200);
                try (CommittedReader out = new CommittedReader(
                        broker.bootstrapServers(), topics.output().orElseThrow())) {

                    // given 4 calls/s and a 1s first tier
                    Phase a = run(main, out, downstream, "a", 16);
                    // a token bucket allows cap x seconds + one second of burst (4 tokens): 16 calls take at least 3s
                    // at 4/s
                    assertThat(16.0)
                            .as("calls in %.2fs at a cap of 4 (+10 %%, + a burst of 4)", a.seconds())
                            .isLessThanOrEqualTo(4 * 1.1 * a.seconds() + 4);
                    assertThat(a.retryGap()).as("first retry at a 1s tier").isBetween(1_000L, 2_500L);

                    // when the file says 40 calls/s and a 3s first tier
                    long written = System.currentTimeMillis();
                    GateFixture.write(file, yaml(appId, state, main, downstream.url(), "3s", 2, 40));
                    await("new rate limit and tier delay in force")
                            .atMost(Duration.ofSeconds(10))
                            .pollInterval(Duration.ofMillis(50))
                            .until(() -> app.settings().rateLimit().callsPerSecond() == 40
                                    && app.settings().policy().tier(1).delay().equals(Duration.ofSeconds(3)));
                    long appliedAfter = System.currentTimeMillis() - written;

                    // then both apply without a restart
                    // (120 events: the bucket holds a second's worth, 40, so 40 events alone could
                    // go out at once; 120 take at least two seconds at 40 calls/s)
                    Phase b = run(main, out, downstream, "b", 120);
                    assertThat(b.rate())
                            .as("calls/s at a cap of 40")
                            .isGreaterThan(4 * 2)
                            .isLessThanOrEqualTo(40 * 1.1 + 40);
                    assertThat(b.retryGap()).as("first retry at a 3s tier").isBetween(3_000L, 4_500L);

                    // when an invalid version is written (attempts: 0, and 1 call/s)
                    LadderSettings before = app.settings();
                    GateFixture.write(file, yaml(appId, state, main, downstream.url(), "1s", 0, 1));

                    // then it is refused and logged, and the settings in force keep working
                    await("invalid change refused in the log")
                            .atMost(Duration.ofSeconds(10))
                            .pollInterval(Duration.ofMillis(50))
                            .until(() -> log.lines.stream()
                                    .anyMatch(l -> l.startsWith("WARN") && l.contains("the running settings stay")));
                    assertThat(app.settings()).isEqualTo(before);
                    Phase c = run(main, out, downstream, "c", 40);
                    assertThat(c.rate()).as("calls/s after the refused change").isGreaterThan(4 * 2);
                    assertThat(c.retryGap())
                            .as("first retry after the refused change")
                            .isBetween(3_000L, 4_500L);
                    System.out.printf(
                            "LiveReloadIT: applied %d ms after the write; rates %.1f/s (cap 4), %.1f/s (cap 40), %.1f/s (after refusal);"
                                    + " retry gaps %d, %d, %d ms; refusal: %s%n",
                            appliedAfter,
                            a.rate(),
                            b.rate(),
                            c.rate(),
                            a.retryGap(),
                            b.retryGap(),
                            c.retryGap(),
                            log.lines.stream()
                                    .filter(l -> l.startsWith("WARN"))
                                    .findFirst()
                                    .orElse(""));
                }
            }
        } finally {
            for (String name : WATCHED) {
                ((Logger) LogManager.getLogger(name)).removeAppender(log);
            }
            log.stop();
        }
    }

    private static int firstArrival(String id, int number) {
        return FIRST.computeIfAbsent(id, k -> number);
    }

    private static final java.util.concurrent.ConcurrentHashMap<String, Integer> FIRST =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** The measured call rate of a burst of events and the first retry delay of one failing event. */
    private record Phase(double rate, double seconds, long retryGap) {}

    private static Phase run(String main, CommittedReader out, TestHttpServer downstream, String name, int events) {
        List<String> ids = new ArrayList<>();
        String retry = "retry-" + name;
        for (int i = 0; i < events; i++) {
            String id = name + "-" + i;
            ids.add(id);
            broker.produce(main, "key-" + id, id, Map.of("event-id", id));
        }
        // last, so that its retry is not held up behind the burst (a punctuation runs between processing batches)
        broker.produce(main, "key-" + retry, retry, Map.of("event-id", retry));
        ids.add(retry);
        await("phase " + name + " delivered")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> KeyedLoad.ids(out.poll()).containsAll(ids));
        List<Long> times = downstream.arrivals().stream()
                .filter(x -> x.eventId().startsWith(name + "-"))
                .map(TestHttpServer.Call::epochMillis)
                .sorted()
                .toList();
        assertThat(times).hasSize(events);
        double seconds = (times.get(times.size() - 1) - times.get(0)) / 1000.0;
        List<TestHttpServer.Call> retries = downstream.arrivals(retry);
        assertThat(retries).extracting(TestHttpServer.Call::status).containsExactly(503, 200);
        return new Phase(
                (events - 1) / Math.max(seconds, 0.001),
                seconds,
                retries.get(1).epochMillis() - retries.get(0).epochMillis());
    }

    private static String yaml(
            String appId, Path state, String main, String url, String tier1, int attempts, int rate) {
        return GateFixture.yaml(
                appId,
                broker.bootstrapServers(),
                state,
                main,
                url,
                tier1,
                attempts,
                "rate-limit:\n  calls-per-second: " + rate + "\nreload-interval: 500ms\n");
    }
}
