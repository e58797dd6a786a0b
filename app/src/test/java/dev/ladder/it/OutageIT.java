package dev.ladder.it;

import static dev.ladder.it.CommittedReader.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ladder.app.LadderApp;
import dev.ladder.config.LadderConfig;
import dev.ladder.config.LadderConfigLoader;
import dev.ladder.kernel.LadderHeaders;
import dev.ladder.policy.TopicNames;
import dev.ladder.testing.TestHttpServer;
import dev.ladder.testing.TestHttpServer.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A downstream down (503) for longer than all tiers together, against a real broker: the breaker
 * opens and says so on /metrics and /health/ready, no event is dead-lettered or loses an attempt,
 * and after recovery every event is delivered once, in per-key order.
 */
class OutageIT {

    @RegisterExtension
    static final KafkaBroker broker = KafkaBroker.shared();

    private static final int MINIMUM_CALLS = 5;
    /** Tiers 1s + 1s + 2s: an always-failing event is dead-lettered about 4s after its first call. */
    private static final Duration OUTAGE = Duration.ofSeconds(9);

    private static final Pattern BREAKER_OPEN = Pattern.compile("(?m)^ladder_breaker_state(\\{[^}]*})? 2(\\.0)?$");

    @TempDir
    Path dir;

    @Test
    void shouldHoldEventsWhileTheDownstreamIsDownAndDeliverThemOnceAfter() throws Exception {
        // given a downstream that answers 503 for 9s from the first call, then 200
        AtomicLong downUntil = new AtomicLong(Long.MAX_VALUE);
        try (TestHttpServer downstream = TestHttpServer.byOrder((id, number, now) -> {
            downUntil.compareAndSet(Long.MAX_VALUE, now + OUTAGE.toMillis());
            return Reply.of(now < downUntil.get() ? 503 : 200);
        })) {
            String main = broker.uniqueTopic("outage");
            broker.createTopic(main, 3);
            String breaker = """
                    breaker:
                      enabled: true
                      window: 10
                      minimum-calls: %d
                      failure-rate: 0.8
                      open-for: 2s
                      probe-interval: 500ms
                      probes: 1
                    """.formatted(MINIMUM_CALLS);
            Path file = GateFixture.write(
                    dir.resolve("ladder.yaml"),
                    GateFixture.yaml(
                            broker.uniqueId("ladder-outage"),
                            broker.bootstrapServers(),
                            dir.resolve("state"),
                            main,
                            downstream.url(),
                            "1s",
                            2,
                            breaker));
            LadderConfig config = LadderConfigLoader.load(file, Map.of());
            TopicNames topics = config.toSettings().topics();
            KeyedOutage load = new KeyedOutage(4, 4);
            try (LadderApp app = new LadderApp(config, null, true).start()) {
                await("Ladder ready")
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> LadderFixture.get(app.port(), "/health/ready") == 200);
                try (CommittedReader out = new CommittedReader(
                                broker.bootstrapServers(), topics.output().orElseThrow());
                        CommittedReader dlt = new CommittedReader(broker.bootstrapServers(), topics.deadLetter())) {

                    // when events keep arriving during the outage
                    load.produce(broker, main, 0, 2);
                    await("breaker open on /metrics")
                            .atMost(Duration.ofSeconds(30))
                            .pollInterval(Duration.ofMillis(100))
                            .until(() -> BREAKER_OPEN
                                    .matcher(LadderFixture.fetch(app.port(), "/metrics")
                                            .body())
                                    .find());
                    await("breaker OPEN in the /health/ready details")
                            .atMost(OUTAGE)
                            .pollInterval(Duration.ofMillis(100))
                            .until(() -> LadderFixture.fetch(app.port(), "/health/ready")
                                    .body()
                                    .matches("(?s).*\"breaker\"\\s*:\\s*\"OPEN\".*"));
                    load.produce(broker, main, 2, 4);

                    // then after recovery every event is in the output once, in per-key order, none in the dead-letter
                    // topic
                    await("every event delivered after the outage")
                            .atMost(Duration.ofSeconds(60))
                            .pollInterval(Duration.ofMillis(200))
                            .until(() -> KeyedLoad.ids(out.poll()).containsAll(load.ids()));
                    long recovered = downUntil.get();
                    assertThat(System.currentTimeMillis()).isGreaterThan(recovered);
                    List<ConsumerRecord<String, byte[]>> output = out.poll();
                    assertThat(dlt.poll()).as("dead letters").isEmpty();
                    load.assertOnceInOrder(output);
                    assertThat(downstream.countByStatus(200))
                            .as("successful calls per event")
                            .hasSize(load.ids().size())
                            .allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1L));

                    // and no event lost an attempt: later failures were probes (a few per phase, while the
                    // breaker was not closed), which cost none, and the failures that opened it were given back
                    List<TestHttpServer.Call> failures = downstream.arrivals().stream()
                            .filter(a -> a.status() == 503)
                            .toList();
                    assertThat(failures.size())
                            .as("calls during a %s outage", OUTAGE)
                            .isGreaterThan(MINIMUM_CALLS)
                            // per 500 ms probe phase one probe, plus up to three more on retried
                            // events, whose failures are no evidence (their permits go back)
                            .isLessThan(MINIMUM_CALLS + 4 * ((int) (OUTAGE.toMillis() / 500) + 2));
                    for (ConsumerRecord<String, byte[]> r : output) {
                        assertThat(java.nio.ByteBuffer.wrap(r.headers()
                                                .lastHeader(LadderHeaders.ATTEMPTS)
                                                .value())
                                        .getInt())
                                .as("attempts of %s", header(r, LadderHeaders.EVENT_ID))
                                .isEqualTo(1);
                    }
                    System.out.printf(
                            "OutageIT: %d failed calls (%d opened the breaker and were given back, %d probes) in a %s outage%n",
                            failures.size(), MINIMUM_CALLS, failures.size() - MINIMUM_CALLS, OUTAGE);
                }
            }
        }
    }

    /** Keys k00..kN, events ev-kNN-seq with value seq=N. */
    private record KeyedOutage(int keys, int perKey) {
        List<String> ids() {
            List<String> ids = new java.util.ArrayList<>();
            for (int s = 0; s < perKey; s++) {
                for (int k = 0; k < keys; k++) {
                    ids.add("ev-k%02d-%d".formatted(k, s));
                }
            }
            return ids;
        }

        void produce(KafkaBroker broker, String topic, int fromSeq, int toSeq) {
            for (int s = fromSeq; s < toSeq; s++) {
                for (int k = 0; k < keys; k++) {
                    String key = "k%02d".formatted(k);
                    broker.produce(topic, key, "seq=" + s, Map.of("event-id", "ev-" + key + "-" + s));
                }
            }
        }

        void assertOnceInOrder(List<ConsumerRecord<String, byte[]>> output) {
            Map<String, Long> counts = output.stream()
                    .collect(java.util.stream.Collectors.groupingBy(
                            r -> header(r, LadderHeaders.EVENT_ID), java.util.stream.Collectors.counting()));
            assertThat(counts.keySet()).containsExactlyInAnyOrderElementsOf(ids());
            assertThat(counts).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1L));
            Map<String, List<Integer>> seqByKey = new java.util.LinkedHashMap<>();
            for (ConsumerRecord<String, byte[]> r : output) {
                seqByKey.computeIfAbsent(r.key(), k -> new java.util.ArrayList<>())
                        .add(Integer.parseInt(CommittedReader.utf8(r.value()).substring(4)));
            }
            assertThat(seqByKey)
                    .allSatisfy((key, seqs) -> assertThat(seqs).as(key).isSorted());
        }
    }
}
