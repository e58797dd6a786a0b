package dev.ladder.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ladder.config.LadderConfigLoader;
import dev.ladder.policy.TopicNames;
import dev.ladder.testing.TestHttpServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ladder run} against a slow downstream (200 ms a call), so that dozens of calls are in
 * flight, killed with SIGKILL and started again: the calls that were in flight are run again with
 * the same {@code Idempotency-Key}, and exactly-once and per-key order hold in Kafka and at the
 * downstream.
 */
class InFlightCrashIT {

    @RegisterExtension
    static final KafkaBroker broker = KafkaBroker.shared();

    private static final int KEYS = 50;
    private static final int PER_KEY = 8;
    private static final Duration LATENCY = Duration.ofMillis(200);

    @TempDir
    Path dir;

    @Test
    void shouldRunCallsInFlightAtAKillAgainWithTheirEventIdAndKeepEveryGuarantee() throws Exception {
        // given 400 keyed events over 50 keys (about 30% failing twice, 5% always) and a 200 ms downstream
        KeyedLoad load = new KeyedLoad(KEYS, PER_KEY);
        Set<String> ids = load.events().stream().map(KeyedLoad.Event::id).collect(Collectors.toSet());
        try (TestHttpServer hook = TestHttpServer.byEvent(load.script(), LATENCY)) {
            String main = broker.uniqueTopic("inflight-crash");
            broker.createTopic(main, 3);
            Path config = new LadderFixture(
                            broker.uniqueId("ladder-inflight"), broker.bootstrapServers(), main, hook.url())
                    .write(dir.resolve("conf"), dir.resolve("state"));
            TopicNames topics = LadderFixture.topics(LadderConfigLoader.load(config, Map.of()));
            load.produce(broker, main);
            Path log1 = dir.resolve("ladder-1.log");
            Path log2 = dir.resolve("ladder-2.log");
            Process first = LadderProcess.run(config, log1);
            Process second = null;
            try {
                broker.awaitTopics(topics.output().orElseThrow());
                try (CommittedReader out = new CommittedReader(
                                broker.bootstrapServers(), topics.output().orElseThrow());
                        CommittedReader dlt = new CommittedReader(broker.bootstrapServers(), topics.deadLetter())) {
                    // when the processor is killed hard with calls in flight, a quarter of the work committed:
                    // the downstream holds its answers from the moment it sees 10 calls unanswered
                    AtomicReference<Set<String>> held = new AtomicReference<>(Set.of());
                    await("100 committed outputs and 10 calls in flight before the kill")
                            .atMost(Duration.ofSeconds(90))
                            .pollInterval(Duration.ofMillis(10))
                            .until(() -> !first.isAlive() || out.poll().size() >= 100 && holdsTen(hook, held));
                    assertThat(first.isAlive()).as("first Ladder still running").isTrue();
                    Set<String> inFlightAtKill = held.get();
                    first.destroyForcibly();
                    assertThat(first.waitFor(30, TimeUnit.SECONDS))
                            .as("first Ladder killed")
                            .isTrue();
                    hook.release();
                    int callsBeforeRestart = hook.total();
                    int atKill = KeyedLoad.ids(out.poll()).size()
                            + KeyedLoad.ids(dlt.poll()).size();
                    System.out.printf(
                            "killed with %d of %d events settled, %d calls in flight at the endpoint (most at once: %d)%n",
                            atKill, load.events().size(), inFlightAtKill.size(), hook.mostInProgress());
                    assertThat(atKill)
                            .as("events settled when killed (must be mid-run)")
                            .isLessThan(load.events().size());

                    // and a new one starts on the same configuration and state directory
                    second = LadderProcess.run(config, log2);

                    // then every event ends once, in the topic its fate says, each key in order
                    Process running = second;
                    await("all 400 events in the output or dead-letter topic after the restart")
                            .atMost(Duration.ofSeconds(150))
                            .pollInterval(Duration.ofMillis(100))
                            .until(() -> load.settled(out.poll(), dlt.poll()) || !running.isAlive());
                    assertThat(second.isAlive())
                            .as("second Ladder still running")
                            .isTrue();
                    CommittedReader.awaitNoFurtherRecords(out, dlt);
                    load.assertExactlyOnceInOrder(out.poll(), dlt.poll());

                    // and every call in flight at the kill was made again, after the restart, with its event id
                    List<TestHttpServer.Call> all = hook.arrivals();
                    List<TestHttpServer.Call> afterRestart = all.subList(callsBeforeRestart, all.size());
                    Set<String> rerun = afterRestart.stream()
                            .map(TestHttpServer.Call::idempotencyKey)
                            .collect(Collectors.toSet());
                    assertThat(rerun)
                            .as("event ids called again after the restart")
                            .containsAll(inFlightAtKill);
                    EndpointChecks.assertEveryCallCarriesItsEventId(all, ids);
                    EndpointChecks.assertFirstSuccessesInKeyOrder(all);
                    System.out.printf(
                            "%d calls in all; %d in flight at the kill, all re-run with the same Idempotency-Key%n",
                            all.size(), inFlightAtKill.size());
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

    /** Holds the downstream's answers if at least 10 calls are unanswered, noting them; else lets it answer. */
    private static boolean holdsTen(TestHttpServer hook, AtomicReference<Set<String>> held) {
        Set<String> unanswered = hook.hold();
        if (unanswered.size() >= 10) {
            held.set(unanswered);
            return true;
        }
        hook.release();
        return false;
    }
}
