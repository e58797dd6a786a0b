package dev.ladder.topology.internals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.avro.RetryEnvelope;
import dev.ladder.handler.Outcome;
import dev.ladder.kernel.LadderMetrics;
import dev.ladder.policy.LadderSettings;
import dev.ladder.policy.LiveSettings;
import dev.ladder.policy.RetryPolicy;
import dev.ladder.policy.Tier;
import dev.ladder.serde.AvroCodec;
import dev.ladder.serde.AvroEnvelopeSerde;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A retry is scheduled in the timers store when its tier record is written, in the same
 * transaction, so it waits for its due time only and not for its record to come back through
 * Kafka; the record that comes back finds its timer and is not scheduled twice.
 */
class LocalScheduleTest {

    private static final long T0 = 1_767_225_600_000L;
    private static final long DUE = T0 + 1_000;

    @TempDir
    Path stateDir;

    private MockProcessorContext<byte[], Outbound> context;
    private TimerQueue timers;
    private EventLedger ledger;
    private OutcomeRecorder recorder;

    @BeforeEach
    void open() {
        LadderSettings settings = LadderSettings.builder("orders")
                .policy(RetryPolicy.of(Tier.of(Duration.ofSeconds(1), 1)))
                .build();
        context = TestStores.context(stateDir);
        timers = new TimerQueue(TestStores.keyValue(stateDir, "timers"));
        KeyOrdering ordering = TestStores.ordering(stateDir);
        ledger = TestStores.ledger(stateDir, T0);
        LadderMetrics metrics = LadderMetrics.noop();
        recorder = new OutcomeRecorder(
                new LiveSettings(settings),
                context,
                new AvroEnvelopeSerde(),
                ordering,
                ledger,
                timers,
                metrics,
                metrics.task("0_0"));
    }

    private static RetryEnvelope event(String id) {
        return TestStores.event(id, T0);
    }

    /** What a task reads back from the tier topic: the record it forwarded, decoded. */
    private RetryEnvelope tierRecordSent() {
        List<MockProcessorContext.CapturedForward<? extends byte[], ? extends Outbound>> sent = context.forwarded();
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).childName()).hasValue(NodeNames.tierSink(1));
        return new AvroEnvelopeSerde()
                .deserializer()
                .deserialize("orders-retry-1s", sent.get(0).record().value().value());
    }

    private void failFirstAttempt(RetryEnvelope envelope) {
        recorder.record(
                envelope,
                0,
                1,
                "orders",
                new AttemptExecutor.Result(Outcome.retry("503"), "TRANSIENT"),
                new RetryDecision.Retry(1, 1, DUE),
                T0);
    }

    @Test
    void shouldScheduleTheRetryWhenItWritesItsTierRecord() {
        // when the first attempt fails and the event goes to tier 1
        failFirstAttempt(event("e1"));

        // then its retry waits in the timers store already, before its tier record is read back
        assertThat(timers.peekDue(DUE - 1, 10)).isEmpty();
        List<TimerQueue.Timer> due = timers.pollDue(DUE, 10);
        assertThat(due).extracting(TimerQueue.Timer::eventId).containsExactly("e1");
        RetryEnvelope scheduled = AvroCodec.ENVELOPE.decode(due.get(0).envelope());
        assertThat(scheduled).isEqualTo(tierRecordSent());
        assertThat(scheduled.getAttempts()).isEqualTo(1);
        assertThat(scheduled.getDueTime()).isEqualTo(DUE);
    }

    @Test
    void shouldFindTheTierRecordItWroteAlreadyScheduled() {
        // given an event sent to tier 1
        failFirstAttempt(event("e1"));

        // then the tier record read back is already scheduled, and is not scheduled twice
        assertThat(recorder.readBack(tierRecordSent())).isEqualTo(OutcomeRecorder.ReadBack.SCHEDULED);
    }

    @Test
    void shouldScheduleATierRecordItDidNotScheduleItself() {
        // given an event whose status says tier 1 but whose timer is gone (a record written by an
        // earlier Ladder version, which scheduled only what it read back)
        failFirstAttempt(event("e1"));
        RetryEnvelope readBack = tierRecordSent();
        timers.cancel(DUE, "e1");

        // then the record read back is scheduled as it is read
        assertThat(recorder.readBack(readBack)).isEqualTo(OutcomeRecorder.ReadBack.NEW);
        // and so is a record of an event this task never saw
        assertThat(recorder.readBack(event("e2"))).isEqualTo(OutcomeRecorder.ReadBack.NEW);
    }

    @Test
    void shouldNotTakeAnOlderAttemptsRecordForTheScheduledOne() {
        // given an event sent to tier 1 after its first attempt
        failFirstAttempt(event("e1"));
        RetryEnvelope readBack = tierRecordSent();

        // when an older copy of it (attempt 0) comes back, e.g. one written before a crash
        readBack.setAttempts(0);

        // then it is not mistaken for the scheduled one: it is stale, and dropped
        assertThat(recorder.readBack(readBack)).isEqualTo(OutcomeRecorder.ReadBack.STALE);
        assertThat(recorder.isStale(readBack)).isTrue();
    }
}
