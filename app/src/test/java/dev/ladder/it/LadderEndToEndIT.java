package dev.ladder.it;

import static dev.ladder.it.CommittedReader.header;
import static dev.ladder.it.CommittedReader.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ladder.app.LadderApp;
import dev.ladder.avro.ErrorRecord;
import dev.ladder.avro.RetryEnvelope;
import dev.ladder.config.LadderConfig;
import dev.ladder.kernel.LadderHeaders;
import dev.ladder.policy.TopicNames;
import dev.ladder.serde.AvroCodec;
import dev.ladder.testing.TestHttpServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deployable processor end to end: real topics, a real HTTP downstream, real delays. One
 * {@link LadderApp} serves the class; every test uses its own keys and event ids.
 */
class LadderEndToEndIT {

    @RegisterExtension
    static final KafkaBroker broker = KafkaBroker.shared();

    @TempDir
    static Path dir;

    private static TestHttpServer hook;
    private static LadderApp app;
    private static TopicNames topics;
    private static CommittedReader out;
    private static CommittedReader dlt;

    @BeforeAll
    static void startLadder() throws Exception {
        // e-ok* succeed at once; e-retry fails twice with 503; e-dead always 503; e-bad is refused with 400
        hook = TestHttpServer.byEvent((id, arrival) -> {
            if (id.startsWith("e-retry")) {
                return arrival <= 2 ? 503 : 200;
            }
            if (id.startsWith("e-dead")) {
                return 503;
            }
            if (id.startsWith("e-bad")) {
                return 400;
            }
            return 200;
        });
        String main = broker.uniqueTopic("e2e");
        broker.createTopic(main, 3);
        LadderConfig config = new LadderFixture(
                        broker.uniqueId("ladder-e2e"), broker.bootstrapServers(), main, hook.url())
                .load(dir.resolve("conf"), dir.resolve("state"));
        topics = LadderFixture.topics(config);
        app = LadderFixture.start(config);
        out = new CommittedReader(broker.bootstrapServers(), topics.output().orElseThrow());
        dlt = new CommittedReader(broker.bootstrapServers(), topics.deadLetter());
    }

    @AfterAll
    static void stopLadder() {
        if (out != null) {
            out.close();
        }
        if (dlt != null) {
            dlt.close();
        }
        if (app != null) {
            app.close();
        }
        if (hook != null) {
            hook.close();
        }
    }

    @Test
    void shouldDeliverOnceWithIdempotencyKeyAndWriteTheOutput() {
        // when
        broker.produce(topics.main(), "k-ok", "{\"n\":1}", Map.of("event-id", "e-ok-1"));

        // then
        ConsumerRecord<String, byte[]> record = awaitOne(out, "e-ok-1", "e-ok-1 in the output topic");
        assertThat(record.key()).isEqualTo("k-ok");
        assertThat(utf8(record.value())).isEqualTo("{\"n\":1}");
        assertThat(hook.arrivals("e-ok-1")).singleElement().satisfies(a -> {
            assertThat(a.idempotencyKey()).isEqualTo("e-ok-1");
            assertThat(a.body()).isEqualTo("{\"n\":1}");
            assertThat(a.status()).isEqualTo(200);
        });
    }

    @Test
    void shouldRetryAfterTheTierDelayNeverEarlier() {
        // when an event fails twice with 503
        broker.produce(topics.main(), "k-retry", "retry-me", Map.of("event-id", "e-retry-1"));

        // then it succeeds on attempt 3, each retry no earlier than its tier's delay
        awaitOne(out, "e-retry-1", "e-retry-1 in the output topic after two retries");
        List<TestHttpServer.Call> calls = hook.arrivals("e-retry-1");
        assertThat(calls).extracting(TestHttpServer.Call::status).containsExactly(503, 503, 200);
        // attempt 2 is tier 1 (1s), attempt 3 is tier 1's second attempt (1s)
        assertThat(calls.get(1).epochMillis() - calls.get(0).epochMillis())
                .isGreaterThanOrEqualTo(LadderFixture.TIER_1.toMillis());
        assertThat(calls.get(2).epochMillis() - calls.get(1).epochMillis())
                .isGreaterThanOrEqualTo(LadderFixture.TIER_1.toMillis());
        assertThat(dlt.poll()).noneMatch(r -> "e-retry-1".equals(header(r, LadderHeaders.EVENT_ID)));
    }

    @Test
    void shouldDeadLetterWithTheWholeHistoryAfterTheLastTier() {
        // given
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("event-id", "e-dead-1");
        headers.put("trace", "abc-123");

        // when the downstream answers 503 every time
        broker.produce(topics.main(), "k-dead", "doomed", headers);

        // then after 1 + 2 + 1 attempts it is a dead letter with one error per attempt
        ConsumerRecord<String, byte[]> record = awaitOne(dlt, "e-dead-1", "e-dead-1 in the dead-letter topic");
        List<TestHttpServer.Call> calls = hook.arrivals("e-dead-1");
        assertThat(calls).hasSize(LadderFixture.MAX_ATTEMPTS);
        // attempt 4 is tier 2 (2s)
        assertThat(calls.get(3).epochMillis() - calls.get(2).epochMillis())
                .isGreaterThanOrEqualTo(LadderFixture.TIER_2.toMillis());
        assertThat(record.key()).isEqualTo("k-dead");
        RetryEnvelope envelope = AvroCodec.ENVELOPE.decode(record.value());
        assertThat(envelope.getEventId()).isEqualTo("e-dead-1");
        assertThat(envelope.getAttempts()).isEqualTo(LadderFixture.MAX_ATTEMPTS);
        assertThat(envelope.getErrors())
                .hasSize(LadderFixture.MAX_ATTEMPTS)
                .extracting(ErrorRecord::getHttpStatus)
                .containsOnly(503);
        assertThat(envelope.getErrors()).extracting(ErrorRecord::getAttempt).containsExactly(1, 2, 3, 4);
        assertThat(utf8(envelope.getKey())).isEqualTo("k-dead");
        assertThat(utf8(envelope.getValue())).isEqualTo("doomed");
        assertThat(envelope.getOriginalTopic()).isEqualTo(topics.main());
        assertThat(envelope.getHeaders())
                .extracting(h -> h.getKey() + "=" + utf8(h.getValue()))
                .containsExactly("event-id=e-dead-1", "trace=abc-123");
        assertThat(header(record, "trace")).isEqualTo("abc-123");
        assertThat(header(record, LadderHeaders.REASON)).isNotBlank();
        assertThat(out.poll()).noneMatch(r -> "e-dead-1".equals(header(r, LadderHeaders.EVENT_ID)));
    }

    @Test
    void shouldDeadLetterANonRetryableFailureAfterOneAttempt() {
        // when the downstream refuses the event with 400
        broker.produce(topics.main(), "k-bad", "bad", Map.of("event-id", "e-bad-1"));

        // then
        ConsumerRecord<String, byte[]> record = awaitOne(dlt, "e-bad-1", "e-bad-1 in the dead-letter topic");
        assertThat(hook.arrivals("e-bad-1")).hasSize(1);
        RetryEnvelope envelope = AvroCodec.ENVELOPE.decode(record.value());
        assertThat(envelope.getErrors())
                .singleElement()
                .satisfies(e -> assertThat(e.getHttpStatus()).isEqualTo(400));
        assertThat(utf8(envelope.getValue())).isEqualTo("bad");
    }

    @Test
    void shouldReportReadyAndPublishMetricsWhileRunning() {
        assertThat(LadderFixture.get(app.port(), "/health/live")).isEqualTo(200);
        assertThat(LadderFixture.get(app.port(), "/health/ready")).isEqualTo(200);
        var metrics = LadderFixture.fetch(app.port(), "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("ladder_events_total");
    }

    private static ConsumerRecord<String, byte[]> awaitOne(CommittedReader reader, String eventId, String alias) {
        await(alias)
                .atMost(Duration.ofSeconds(45))
                .pollInterval(Duration.ZERO)
                .until(() -> reader.poll().stream().anyMatch(r -> eventId.equals(header(r, LadderHeaders.EVENT_ID))));
        List<ConsumerRecord<String, byte[]>> matching = reader.poll().stream()
                .filter(r -> eventId.equals(header(r, LadderHeaders.EVENT_ID)))
                .toList();
        assertThat(matching).as("records of %s", eventId).hasSize(1);
        return matching.get(0);
    }
}
