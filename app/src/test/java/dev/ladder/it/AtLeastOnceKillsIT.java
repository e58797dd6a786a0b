package dev.ladder.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ladder.app.LadderApp;
import dev.ladder.config.LadderConfigLoader;
import dev.ladder.policy.TopicNames;
import dev.ladder.serde.AvroCodec;
import dev.ladder.serde.RetryStores;
import dev.ladder.testing.TestHttpServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code processing-guarantee: at_least_once}, committing every 500 ms so that offsets are committed
 * while events wait in the timers store: {@code ladder run} is killed with SIGKILL three
 * times while events climb the tiers (each time with retries written to the first tier topic since
 * the last kill), then a last instance finishes the work. Nothing is lost: every event ends in the
 * topic its fate says (duplicates are allowed, and counted); no key is left blocked: the key,
 * parked and timer stores end empty, no key is held, and a new event of every key goes through.
 */
class AtLeastOnceKillsIT {

    @RegisterExtension
    static final KafkaBroker broker = KafkaBroker.shared();

    private static final int KEYS = 30;
    private static final int PER_KEY = 8;
    private static final int KILLS = 3;
    private static final Duration LATENCY = Duration.ofMillis(50);

    @TempDir
    Path dir;

    @Test
    void shouldLoseNothingAndLeaveNoKeyBlockedAcrossRepeatedKillsUnderAtLeastOnce() throws Exception {
        // given 240 keyed events (about 30% failing twice, 5% always), a 50 ms downstream, at-least-once
        KeyedLoad load = new KeyedLoad(KEYS, PER_KEY);
        TestHttpServer.EventScript events = load.script();
        TestHttpServer.EventScript script = (id, arrival) -> id.startsWith("probe-") ? 200 : events.status(id, arrival);
        try (TestHttpServer hook = TestHttpServer.byEvent(script, LATENCY)) {
            String main = broker.uniqueTopic("alos-kills");
            broker.createTopic(main, 3);
            Path config = new LadderFixture(broker.uniqueId("ladder-alos"), broker.bootstrapServers(), main, hook.url())
                    .processingGuarantee("at_least_once")
                    // commits while events wait in timers (Streams' 30 s default would rarely commit between kills)
                    .kafka("commit.interval.ms", "500")
                    .write(dir.resolve("conf"), dir.resolve("state"));
            TopicNames topics = LadderFixture.topics(LadderConfigLoader.load(config, Map.of()));
            load.produce(broker, main);
            List<Path> logs = new ArrayList<>();
            Process ladder = null;
            try {
                Path firstLog = dir.resolve("ladder-1.log");
                logs.add(firstLog);
                ladder = LadderProcess.run(config, firstLog);
                broker.awaitTopics(topics.output().orElseThrow(), topics.tier(1), topics.deadLetter());
                try (CommittedReader out = new CommittedReader(
                                broker.bootstrapServers(), topics.output().orElseThrow());
                        CommittedReader dlt = new CommittedReader(broker.bootstrapServers(), topics.deadLetter());
                        CommittedReader tier1 = new CommittedReader(broker.bootstrapServers(), topics.tier(1))) {
                    // when it is killed three times, each time after 20 more events settled and 10 more retries
                    for (int kill = 1; kill <= KILLS; kill++) {
                        int settledBefore = settled(out, dlt);
                        int retriesBefore = tier1.poll().size();
                        Process running = ladder;
                        await("20 more events settled and 10 more retries before kill " + kill)
                                .atMost(Duration.ofSeconds(90))
                                .pollInterval(Duration.ofMillis(50))
                                .until(() -> !running.isAlive()
                                        || settled(out, dlt) >= settledBefore + 20
                                                && tier1.poll().size() >= retriesBefore + 10);
                        assertThat(ladder.isAlive())
                                .as("Ladder still running before kill " + kill)
                                .isTrue();
                        ladder.destroyForcibly();
                        assertThat(ladder.waitFor(30, TimeUnit.SECONDS))
                                .as("Ladder killed")
                                .isTrue();
                        int atKill = settled(out, dlt);
                        System.out.printf(
                                "kill %d: %d of %d events settled, %d retries written%n",
                                kill, atKill, load.events().size(), tier1.poll().size());
                        assertThat(atKill)
                                .as("events settled at kill " + kill + " (must be mid-run)")
                                .isLessThan(load.events().size());
                        if (kill < KILLS) {
                            Path log = dir.resolve("ladder-" + (kill + 1) + ".log");
                            logs.add(log);
                            ladder = LadderProcess.run(config, log);
                        }
                    }
                    ladder = null;

                    // and a last instance (in this JVM, to query its stores) finishes the work
                    try (LadderApp last =
                            new LadderApp(LadderConfigLoader.load(config, Map.of()), null, true).start()) {
                        try {
                            await("all 240 events in the output or dead-letter topic")
                                    .atMost(Duration.ofSeconds(90))
                                    .pollInterval(Duration.ofMillis(100))
                                    .until(() -> last.failure().isPresent() || load.settled(out.poll(), dlt.poll()));
                        } catch (ConditionTimeoutException e) {
                            // what is left goes into the failure itself, so CI's report shows it
                            throw new AssertionError(e.getMessage() + "\n" + diagnosis(last, load, hook, out, dlt), e);
                        }
                        assertThat(last.failure()).as("last Ladder's failure").isEmpty();

                        // then every event is in the topic its fate says, at least once
                        Set<String> delivered = KeyedLoad.ids(out.poll());
                        Set<String> deadLettered = KeyedLoad.ids(dlt.poll());
                        assertThat(delivered)
                                .as("events in the output")
                                .containsAll(ids(load, fate -> fate != KeyedLoad.Fate.DOOMED));
                        assertThat(deadLettered)
                                .as("events in the dead-letter topic")
                                .containsAll(ids(load, fate -> fate == KeyedLoad.Fate.DOOMED));
                        // and no key is left blocked: nothing in the key, parked and timer stores, nothing held
                        try {
                            // (a minute: the last instance may still work off the killed ones' stale
                            // timers, some deferred by its breaker, while a blocked key stays for an hour)
                            await("key, parked and timer stores empty")
                                    .atMost(Duration.ofSeconds(60))
                                    .ignoreExceptionsInstanceOf(InvalidStateStoreException.class)
                                    .pollInterval(Duration.ofMillis(200))
                                    .until(() -> entries(last, RetryStores.KEYS)
                                                    + entries(last, RetryStores.PARKED)
                                                    + entries(last, RetryStores.TIMERS)
                                            == 0);
                        } catch (ConditionTimeoutException e) {
                            // what is left goes into the failure itself, so CI's report shows it
                            throw new AssertionError(e.getMessage() + "\n" + diagnosis(last, load, hook, out, dlt), e);
                        }
                        assertThat(LadderFixture.fetch(last.port(), "/keys/blocked")
                                        .body()
                                        .trim())
                                .as("GET /keys/blocked")
                                .isEqualTo("[]");
                        // and a new event of every key goes through
                        for (int k = 0; k < KEYS; k++) {
                            String key = "k%02d".formatted(k);
                            broker.produce(main, key, "probe", Map.of("event-id", "probe-" + key));
                        }
                        await("a new event of each of the 30 keys in the output")
                                .atMost(Duration.ofSeconds(30))
                                .pollInterval(Duration.ofMillis(100))
                                .until(() -> KeyedLoad.ids(out.poll()).stream()
                                                .filter(id -> id.startsWith("probe-"))
                                                .count()
                                        == KEYS);
                        List<ConsumerRecord<String, byte[]>> outRecords = out.poll();
                        List<ConsumerRecord<String, byte[]>> dltRecords = dlt.poll();
                        System.out.printf(
                                "at-least-once across %d kills: %d output records for %d events (%d duplicates),"
                                        + " %d dead letters for %d events (%d duplicates), %d calls%n",
                                KILLS,
                                outRecords.size(),
                                KeyedLoad.ids(outRecords).size(),
                                outRecords.size() - KeyedLoad.ids(outRecords).size(),
                                dltRecords.size(),
                                KeyedLoad.ids(dltRecords).size(),
                                dltRecords.size() - KeyedLoad.ids(dltRecords).size(),
                                hook.total());
                    }
                }
            } catch (Throwable t) {
                for (Path log : logs) {
                    System.out.println("---- " + log.getFileName() + " ----\n" + LadderProcess.output(log));
                }
                throw t;
            } finally {
                if (ladder != null) {
                    ladder.destroyForcibly();
                }
            }
        }
    }

    private static int settled(CommittedReader out, CommittedReader dlt) {
        Set<String> ids = new HashSet<>(KeyedLoad.ids(out.poll()));
        ids.addAll(KeyedLoad.ids(dlt.poll()));
        return ids.size();
    }

    private static List<String> ids(KeyedLoad load, java.util.function.Predicate<KeyedLoad.Fate> which) {
        return load.events().stream()
                .filter(e -> which.test(e.fate()))
                .map(KeyedLoad.Event::id)
                .collect(Collectors.toList());
    }

    /** What is missing and what Ladder's stores hold, for a failure message. */
    private static String diagnosis(
            LadderApp app, KeyedLoad load, TestHttpServer hook, CommittedReader out, CommittedReader dlt) {
        Set<String> seen = new HashSet<>(KeyedLoad.ids(out.poll()));
        seen.addAll(KeyedLoad.ids(dlt.poll()));
        StringBuilder b = new StringBuilder("---- diagnosis ----\n");
        for (KeyedLoad.Event e : load.events()) {
            if (!seen.contains(e.id())) {
                b.append("missing ")
                        .append(e.id())
                        .append(' ')
                        .append(e.fate())
                        .append(" calls=")
                        .append(hook.arrivals(e.id()).stream()
                                .map(a -> a.attempt() + ":" + a.status())
                                .toList())
                        .append('\n');
            }
        }
        try {
            KafkaStreams streams = app.streams().orElseThrow();
            for (String store : List.of(RetryStores.KEYS, RetryStores.TIMERS, RetryStores.PARKED)) {
                ReadOnlyKeyValueStore<Bytes, byte[]> view =
                        streams.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.keyValueStore()));
                try (KeyValueIterator<Bytes, byte[]> all = view.all()) {
                    while (all.hasNext()) {
                        var kv = all.next();
                        b.append(store).append(' ').append(printable(kv.key.get()));
                        if (store.equals(RetryStores.TIMERS)) {
                            var timer = AvroCodec.ENVELOPE.decode(kv.value);
                            b.append(" -> tier ")
                                    .append(timer.getTier())
                                    .append(" attempts ")
                                    .append(timer.getAttempts())
                                    .append(" deferrals ")
                                    .append(timer.getDeferrals())
                                    .append(" due in ")
                                    .append(
                                            timer.getDueTime() == null
                                                    ? null
                                                    : timer.getDueTime() - System.currentTimeMillis())
                                    .append(" ms; events-store status ")
                                    .append(status(streams, timer.getEventId()));
                        }
                        if (store.equals(RetryStores.KEYS)) {
                            var state = AvroCodec.KEY_STATE.decode(kv.value);
                            b.append(" -> ").append(state);
                            if (state.getHeadEventId() != null) {
                                b.append("\n   head status: ").append(status(streams, state.getHeadEventId()));
                            }
                        }
                        b.append('\n');
                    }
                }
            }
            b.append("streams ").append(streams.state()).append('\n');
            LadderFixture.fetch(app.port(), "/metrics")
                    .body()
                    .lines()
                    .filter(line -> line.contains("breaker") && !line.startsWith("#"))
                    .forEach(line -> b.append(line).append('\n'));
        } catch (RuntimeException e) {
            b.append("stores not readable: ").append(e).append('\n');
        }
        return b.toString();
    }

    private static String status(KafkaStreams streams, String eventId) {
        ReadOnlyKeyValueStore<Bytes, byte[]> events = streams.store(
                StoreQueryParameters.fromNameAndType(RetryStores.EVENTS, QueryableStoreTypes.keyValueStore()));
        byte[] status = events.get(Bytes.wrap(eventId.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        return status == null ? "none" : String.valueOf(AvroCodec.EVENT_STATUS.decode(status));
    }

    private static String printable(byte[] bytes) {
        StringBuilder b = new StringBuilder();
        for (byte x : bytes) {
            b.append(x >= 0x20 && x < 0x7f ? String.valueOf((char) x) : "\\x%02x".formatted(x));
        }
        return b.toString();
    }

    /** Entries in one of Ladder's stores, over every local task. */
    private static long entries(LadderApp app, String store) {
        KafkaStreams streams = app.streams().orElseThrow();
        if (streams.state() != KafkaStreams.State.RUNNING) {
            return -1;
        }
        ReadOnlyKeyValueStore<Bytes, byte[]> view =
                streams.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.keyValueStore()));
        long count = 0;
        try (KeyValueIterator<Bytes, byte[]> all = view.all()) {
            while (all.hasNext()) {
                all.next();
                count++;
            }
        }
        return count;
    }
}
