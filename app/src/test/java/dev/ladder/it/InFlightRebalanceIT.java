package dev.ladder.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ladder.app.LadderApp;
import dev.ladder.config.LadderConfig;
import dev.ladder.policy.TopicNames;
import dev.ladder.testing.TestHttpServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Instance A runs alone against a slow downstream (200 ms a call) with dozens of calls in flight;
 * instance B ({@code ladder run} in its own JVM, calling the downstream with {@code ?instance=b})
 * joins, takes tasks over from A, and leaves with calls of its own in flight, either with a
 * graceful stop (SIGTERM) or killed (SIGKILL). Nothing is lost or duplicated in Kafka, key order
 * holds in Kafka and at the downstream.
 */
class InFlightRebalanceIT {

    @RegisterExtension
    static final KafkaBroker broker = KafkaBroker.shared();

    private static final int PARTITIONS = 4;
    private static final Duration LATENCY = Duration.ofMillis(200);
    private static final String B = "instance=b";

    @TempDir
    Path dir;

    @Test
    void shouldFinishCallsInFlightWhenASecondInstanceJoinsAndStopsGracefully() throws Exception {
        Run run = joinAndLeave(false);

        // then B recorded the calls it had in flight as it stopped: none that succeeded was made again
        Set<String> succeededAtStop = run.heldOfB().stream()
                .filter(id -> run.all().stream()
                        .anyMatch(a -> a.eventId().equals(id)
                                && B.equals(a.query())
                                && a.status() / 100 == 2
                                && a.order() <= run.callsAtLeave()))
                .collect(Collectors.toSet());
        List<String> calledAgain = run
                .all()
                .subList(run.callsAtLeave(), run.all().size())
                .stream()
                .map(TestHttpServer.Call::eventId)
                .filter(succeededAtStop::contains)
                .toList();
        assertThat(calledAgain)
                .as("calls B had in flight and that succeeded, made again after B stopped")
                .isEmpty();
    }

    @Test
    void shouldRunCallsInFlightAgainWhenASecondInstanceJoinsAndIsKilled() throws Exception {
        Run run = joinAndLeave(true);

        // then every call B had in flight when it died was made again, by A, with the same event id
        Set<String> calledAgainByA = run
                .all()
                .subList(run.callsAtLeave(), run.all().size())
                .stream()
                .filter(a -> a.query() == null)
                .map(TestHttpServer.Call::idempotencyKey)
                .collect(Collectors.toSet());
        assertThat(calledAgainByA).as("event ids A called after B died").containsAll(run.heldOfB());
    }

    /** What the downstream saw, and which of B's calls were in flight as it left. */
    private record Run(List<TestHttpServer.Call> all, Set<String> heldOfB, int callsAtLeave) {}

    private Run joinAndLeave(boolean kill) throws Exception {
        // given 400 keyed events over 40 keys (about 30% failing twice, 5% always), A alone on 4 partitions
        KeyedLoad load = new KeyedLoad(40, 10);
        Set<String> ids = load.events().stream().map(KeyedLoad.Event::id).collect(Collectors.toSet());
        String main = broker.uniqueTopic("inflight-pair");
        broker.createTopic(main, PARTITIONS);
        String appId = broker.uniqueId("ladder-inflight-pair");
        Path logB = dir.resolve("ladder-b.log");
        Process b = null;
        try (TestHttpServer hook = TestHttpServer.byEvent(load.script(), LATENCY)) {
            LadderConfig configA =
                    fixture(appId, main, hook.url(), kill).load(dir.resolve("a"), dir.resolve("a-state"));
            Path configB =
                    fixture(appId, main, hook.url() + "?" + B, kill).write(dir.resolve("b"), dir.resolve("b-state"));
            TopicNames topics = LadderFixture.topics(configA);
            try (LadderApp a = new LadderApp(configA, null, true).start()) {
                await("A running with every task")
                        .atMost(Duration.ofSeconds(90))
                        .until(() -> a.failure().isPresent()
                                || a.state() == KafkaStreams.State.RUNNING && assignedTasks(a) == PARTITIONS);
                assertThat(a.failure()).as("A's failure").isEmpty();
                try (CommittedReader out = new CommittedReader(
                                broker.bootstrapServers(), topics.output().orElseThrow());
                        CommittedReader dlt = new CommittedReader(broker.bootstrapServers(), topics.deadLetter())) {
                    load.produce(broker, main);
                    await("40 committed outputs before B joins")
                            .atMost(Duration.ofSeconds(60))
                            .until(() -> out.poll().size() >= 40);

                    // when B joins while A has calls in flight
                    int inFlightAtJoin = hook.inProgress().size();
                    b = LadderProcess.run(configB, logB);
                    AtomicInteger inFlightAtHandOver = new AtomicInteger();
                    await("A hands tasks over to B")
                            .atMost(Duration.ofSeconds(90))
                            .pollInterval(Duration.ofMillis(20))
                            .until(() -> {
                                inFlightAtHandOver.set(hook.inProgress().size());
                                return assignedTasks(a) < PARTITIONS;
                            });
                    // and leaves, once it made 15 calls of its own, with at least 5 of them unanswered
                    AtomicReference<Set<String>> heldOfB = new AtomicReference<>(Set.of());
                    Process running = b;
                    await("B made 15 calls and has 5 in flight")
                            .atMost(Duration.ofSeconds(60))
                            .pollInterval(Duration.ofMillis(10))
                            .until(() -> !running.isAlive() || callsOfB(hook) >= 15 && holdsCallsOfB(hook, 5, heldOfB));
                    assertThat(b.isAlive()).as("B still running").isTrue();
                    int callsAtLeave = hook.total();
                    int settledAtLeave = KeyedLoad.ids(out.poll()).size()
                            + KeyedLoad.ids(dlt.poll()).size();
                    if (kill) {
                        b.destroyForcibly();
                        assertThat(b.waitFor(30, TimeUnit.SECONDS))
                                .as("B killed")
                                .isTrue();
                        hook.release();
                    } else {
                        b.destroy();
                        hook.release();
                        assertThat(b.waitFor(60, TimeUnit.SECONDS))
                                .as("B stopped")
                                .isTrue();
                        assertThat(b.exitValue()).as("B's exit code").isZero();
                    }
                    System.out.printf(
                            "%d calls in flight as B joined, %d when A handed over; B %s with %d calls in flight, %d of %d events settled%n",
                            inFlightAtJoin,
                            inFlightAtHandOver.get(),
                            kill ? "killed" : "stopped",
                            heldOfB.get().size(),
                            settledAtLeave,
                            load.events().size());
                    assertThat(settledAtLeave)
                            .as("events settled when B left (must be mid-run)")
                            .isLessThan(load.events().size());

                    // then A finishes everything: each event once, in the topic its fate says, keys in order
                    await("all 400 events in the output or dead-letter topic")
                            .atMost(Duration.ofSeconds(120))
                            .pollInterval(Duration.ofMillis(100))
                            .until(() -> load.settled(out.poll(), dlt.poll()));
                    CommittedReader.awaitNoFurtherRecords(out, dlt);
                    load.assertExactlyOnceInOrder(out.poll(), dlt.poll());
                    assertThat(a.failure()).as("A's failure").isEmpty();
                    assertThat(assignedTasks(a))
                            .as("A owns every task after B left")
                            .isEqualTo(PARTITIONS);
                    List<TestHttpServer.Call> all = hook.arrivals();
                    EndpointChecks.assertEveryCallCarriesItsEventId(all, ids);
                    EndpointChecks.assertFirstSuccessesInKeyOrder(all);
                    System.out.printf("%d calls in all, %d of them by B%n", all.size(), callsOfB(hook));
                    return new Run(all, heldOfB.get(), callsAtLeave);
                }
            }
        } catch (Throwable t) {
            System.out.println("---- B ----\n" + LadderProcess.output(logB));
            throw t;
        } finally {
            if (b != null) {
                b.destroyForcibly();
            }
        }
    }

    /**
     * The instances' configuration. A killed instance that does not come back leaves its last
     * transaction open until {@code transaction.timeout.ms}, and until then nobody can read its
     * partitions past it (read_committed): Ladder's floor of 1 minute would make the test wait that
     * long, so the kill variant uses 20 s, still twice the longest a transaction can stay open here
     * (the 5 s barrier budget plus the 5 s handler timeout).
     */
    private static LadderFixture fixture(String appId, String main, String url, boolean kill) {
        LadderFixture fixture = new LadderFixture(appId, broker.bootstrapServers(), main, url);
        return kill ? fixture.kafka("producer.transaction.timeout.ms", "20000") : fixture;
    }

    /**
     * Holds the downstream's answers if at least {@code atLeast} of the unanswered calls are B's,
     * noting those; else lets it answer.
     */
    private static boolean holdsCallsOfB(TestHttpServer hook, int atLeast, AtomicReference<Set<String>> held) {
        Set<String> ofB = hook.hold().stream()
                .filter(id -> {
                    List<TestHttpServer.Call> calls = hook.arrivals(id);
                    return !calls.isEmpty()
                            && B.equals(calls.get(calls.size() - 1).query());
                })
                .collect(Collectors.toSet());
        if (ofB.size() >= atLeast) {
            held.set(ofB);
            return true;
        }
        hook.release();
        return false;
    }

    private static long callsOfB(TestHttpServer hook) {
        return hook.arrivals().stream().filter(c -> B.equals(c.query())).count();
    }

    private static int assignedTasks(LadderApp app) {
        return app.streams().orElseThrow().metadataForLocalThreads().stream()
                .mapToInt(t -> t.activeTasks().size())
                .sum();
    }
}
