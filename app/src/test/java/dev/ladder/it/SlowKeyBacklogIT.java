package dev.ladder.it;

import static dev.ladder.it.CommittedReader.header;
import static dev.ladder.it.CommittedReader.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ladder.config.LadderConfigLoader;
import dev.ladder.kernel.LadderHeaders;
import dev.ladder.policy.TopicNames;
import dev.ladder.testing.TestHttpServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * One key, a 300 ms downstream, a head that fails once and a long queue of followers parked
 * behind it, default engine settings (concurrency, commit interval, transaction timeout): once the
 * head succeeds the followers run one at a time, for far longer than a transaction may stay open,
 * and no transaction outlives its timeout. {@code ladder run} runs in its own JVM so that its whole
 * log can be searched for fencing.
 *
 * <p>{@value #CI_FOLLOWERS} followers by default (each is a sequential 300 ms call); run with
 * {@code -Dladder.it.followers=500} for the full count.
 */
class SlowKeyBacklogIT {

    @RegisterExtension
    static final KafkaBroker broker = KafkaBroker.shared();

    private static final int CI_FOLLOWERS = 100;
    private static final int FOLLOWERS = Integer.getInteger("ladder.it.followers", CI_FOLLOWERS);
    private static final Duration LATENCY = Duration.ofMillis(300);
    private static final String HEAD = "ev-K-0";

    @TempDir
    Path dir;

    @Test
    void shouldCallEveryParkedFollowerOnceInOrderWithoutFencingBehindASlowHead() throws Exception {
        // given key K's head, failing its first call, and its followers, all waiting in the main topic
        List<String> ids = IntStream.rangeClosed(0, FOLLOWERS)
                .mapToObj(seq -> "ev-K-" + seq)
                .toList();
        TestHttpServer.EventScript script = (id, arrival) -> HEAD.equals(id) && arrival == 1 ? 503 : 200;
        try (TestHttpServer hook = TestHttpServer.byEvent(script, LATENCY)) {
            String main = broker.uniqueTopic("slow-key");
            broker.createTopic(main, 1);
            Path config = new LadderFixture(
                            broker.uniqueId("ladder-slow-key"), broker.bootstrapServers(), main, hook.url())
                    .write(dir.resolve("conf"), dir.resolve("state"));
            TopicNames topics = LadderFixture.topics(LadderConfigLoader.load(config, Map.of()));
            for (String id : ids) {
                broker.produce(main, "K", "seq=" + EndpointChecks.seq(id), Map.of("event-id", id));
            }
            Path log = dir.resolve("ladder.log");
            long started = System.nanoTime();
            Process ladder = LadderProcess.run(config, log);
            try {
                broker.awaitTopics(topics.output().orElseThrow());
                try (CommittedReader out = new CommittedReader(
                        broker.bootstrapServers(), topics.output().orElseThrow())) {
                    // when Ladder runs the head, its retry and then every follower
                    await("head and " + FOLLOWERS + " followers in the output")
                            .atMost(Duration.ofSeconds(60L + FOLLOWERS))
                            .pollInterval(Duration.ofMillis(200))
                            .until(() -> out.poll().size() >= ids.size() || !ladder.isAlive());
                    assertThat(ladder.isAlive()).as("Ladder still running").isTrue();
                    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
                    CommittedReader.awaitNoFurtherRecords(out);

                    // then each event is in the output once, in order, with no fencing on the way
                    List<ConsumerRecord<String, byte[]>> records = out.poll();
                    assertThat(records.stream()
                                    .map(r -> header(r, LadderHeaders.EVENT_ID))
                                    .toList())
                            .as("output, in order")
                            .containsExactlyElementsOf(ids);
                    assertThat(records.stream().map(r -> utf8(r.value())).toList())
                            .as("output values")
                            .containsExactlyElementsOf(ids.stream()
                                    .map(id -> "seq=" + EndpointChecks.seq(id))
                                    .toList());
                    // and the head was called twice, each follower exactly once, in order
                    List<TestHttpServer.Call> all = hook.arrivals();
                    assertThat(all.stream().map(TestHttpServer.Call::eventId).toList())
                            .as("calls in arrival order")
                            .first()
                            .isEqualTo(HEAD);
                    assertThat(all.stream()
                                    .skip(1)
                                    .map(TestHttpServer.Call::eventId)
                                    .toList())
                            .as("calls after the head's first")
                            .containsExactlyElementsOf(ids);
                    EndpointChecks.assertEveryCallCarriesItsEventId(all, Set.copyOf(ids));
                    String output = LadderProcess.output(log);
                    assertThat(output.lines()
                                    .filter(line -> line.toLowerCase().contains("fenced")
                                            || line.contains("TaskMigratedException")
                                            || line.contains("InvalidProducerEpoch"))
                                    .collect(Collectors.toList()))
                            .as("fencing in Ladder's log")
                            .isEmpty();
                    System.out.printf(
                            "head + %d followers at %d ms a call settled %d s after the start (%d calls)%n",
                            FOLLOWERS, LATENCY.toMillis(), seconds, all.size());
                }
            } catch (Throwable t) {
                System.out.println("---- Ladder ----\n" + LadderProcess.output(log));
                throw t;
            } finally {
                ladder.destroy();
                if (!ladder.waitFor(60, TimeUnit.SECONDS)) {
                    ladder.destroyForcibly();
                }
            }
        }
    }
}
