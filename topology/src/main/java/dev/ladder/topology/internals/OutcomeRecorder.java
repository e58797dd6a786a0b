package dev.ladder.topology.internals;

import dev.ladder.avro.ErrorRecord;
import dev.ladder.avro.EventStatus;
import dev.ladder.avro.RetryEnvelope;
import dev.ladder.downstream.Permit;
import dev.ladder.kernel.LadderHeaders;
import dev.ladder.kernel.LadderMetrics;
import dev.ladder.kernel.LadderMetrics.EventOutcome;
import dev.ladder.kernel.LogSafe;
import dev.ladder.policy.LadderSettings;
import dev.ladder.policy.LiveSettings;
import dev.ladder.serde.AvroCodec;
import dev.ladder.serde.Envelopes;
import dev.ladder.topology.internals.EventLedger.Status;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records what an attempt led to: the record it writes (tier, dead letter or output), the event's
 * status, and the key's ordering state. Under exactly-once all of it commits in one transaction
 * with the input offset, so an event is never lost or doubled between topics.
 */
final class OutcomeRecorder {

    private static final Logger log = LoggerFactory.getLogger(OutcomeRecorder.class);

    private final LiveSettings live;
    private final LadderSettings settings;
    private final ProcessorContext<byte[], Outbound> context;
    private final Serde<RetryEnvelope> serde;
    private final KeyOrdering ordering;
    private final EventLedger ledger;
    private final TimerQueue timers;
    private final LadderMetrics metrics;
    private final LadderMetrics.TaskGauges gauges;
    private final RecordFit fit;

    OutcomeRecorder(
            LiveSettings live,
            ProcessorContext<byte[], Outbound> context,
            Serde<RetryEnvelope> serde,
            KeyOrdering ordering,
            EventLedger ledger,
            TimerQueue timers,
            LadderMetrics metrics,
            LadderMetrics.TaskGauges gauges) {
        this.live = live;
        // topics and ordering mode never change while the topology runs; the rest is read live
        this.settings = live.get();
        this.context = context;
        this.serde = serde;
        this.ordering = ordering;
        this.ledger = ledger;
        this.timers = timers;
        this.metrics = metrics;
        this.gauges = gauges;
        this.fit = new RecordFit(settings.maxMessageBytes(), serde);
    }

    /** Applies a decision to the envelope of the attempt just made. */
    void record(
            RetryEnvelope envelope,
            int tier,
            int attempt,
            String topic,
            AttemptExecutor.Result result,
            RetryDecision decision,
            long now) {
        envelope.setAttempts(attempt);
        byte[] key = Envelopes.bytes(envelope.getKey());
        if (decision instanceof RetryDecision.Complete complete) {
            complete(envelope, topic, complete.forward(), now);
            if (ordered(key)) {
                ordering.clearHead(key, envelope.getEventId());
            }
            return;
        }
        LadderSettings.HistoryLimits limits = live.get().history();
        ErrorRecord error = EnvelopeFactory.error(result.outcome(), result.kind(), topic, tier, attempt, now, limits);
        EnvelopeFactory.appendError(envelope, error, limits);
        if (decision instanceof RetryDecision.Retry retry) {
            if (retry(envelope, retry, topic, now)) {
                if (ordered(key)) {
                    ordering.setHead(key, envelope.getEventId());
                }
                return;
            }
            // its tier record cannot be made small enough to send: a dead letter, not a dead thread
            decision = new RetryDecision.DeadLetter(
                    fit.tooLargeForTier(envelope, settings.topics().tier(retry.tier())));
        }
        deadLetterDecided(envelope, tier, topic, ((RetryDecision.DeadLetter) decision).reason(), now);
    }

    /**
     * Dead-letters an event whose history already holds its last failure, and applies the key's
     * dead-letter policy (release the followers, or hold the key).
     */
    void deadLetterDecided(RetryEnvelope envelope, int tier, String topic, String reason, long now) {
        byte[] key = Envelopes.bytes(envelope.getKey());
        envelope.setTier(tier);
        deadLetter(envelope, reason, topic, now);
        if (!ordered(key)) {
            return;
        }
        headDied(key, envelope.getEventId(), "event " + envelope.getEventId() + " dead-lettered: " + reason, now);
    }

    /** The key's head will not run again: the dead-key policy holds the key or frees its followers. */
    private void headDied(byte[] key, String eventId, String why, long now) {
        if (live.get().onDeadLetter() == LadderSettings.DeadKeyPolicy.HOLD) {
            ordering.hold(key, why, now);
        } else {
            ordering.clearHead(key, eventId);
        }
    }

    /** A key's head was found lost (see {@link LostHeads}): the key is treated as if it died. */
    void headLost(LostHeads.Lost lost, long now) {
        log.warn(
                "key {} of {} was blocked: {}; applying ordering.on-dead-letter: {}",
                new String(lost.key(), StandardCharsets.UTF_8),
                settings.topics().main(),
                lost.reason(),
                live.get().onDeadLetter().name().toLowerCase(java.util.Locale.ROOT));
        headDied(lost.key(), lost.headEventId(), "key blocked: " + lost.reason(), now);
    }

    /**
     * Notes that an event is held back without an attempt (breaker open, throttled); it becomes its
     * key's head so the key's later events wait behind it.
     */
    void deferred(RetryEnvelope envelope, Permit.Defer defer, long now) {
        ledger.put(status(envelope, Status.DEFERRED, now, defer.untilMillis()));
        byte[] key = Envelopes.bytes(envelope.getKey());
        if (ordered(key)) {
            ordering.setHead(key, envelope.getEventId());
        }
    }

    /** Notes that an event was parked behind its key's head. */
    void parked(RetryEnvelope envelope, long now) {
        ledger.put(status(envelope, Status.PARKED, now, null));
    }

    /** What a tier record read back from Kafka needs: nothing, or a timer. */
    enum ReadBack {
        /** Older than what the events store knows (a redelivery under at-least-once): dropped. */
        STALE,
        /** Scheduled by this task when it wrote the record (see {@link #retry}): nothing to do. */
        SCHEDULED,
        /** Not scheduled here (written by an earlier version, or by anyone else): schedule it. */
        NEW
    }

    /**
     * Judges a tier record read back, with one read of its event's status: stale when the event
     * already finished or made more attempts; already scheduled when the status is at the
     * record's attempt and the event's timer waits at the status's due time (or was deferred
     * there).
     */
    ReadBack readBack(RetryEnvelope envelope) {
        EventStatus known = ledger.get(envelope.getEventId());
        if (stale(known, envelope)) {
            return ReadBack.STALE;
        }
        return known != null
                        && known.getAttempts() == envelope.getAttempts()
                        && known.getDueTime() != null
                        && timers.contains(known.getDueTime(), envelope.getEventId())
                ? ReadBack.SCHEDULED
                : ReadBack.NEW;
    }

    /**
     * True when a due timer's envelope is older than what the events store knows (at-least-once
     * after a crash): its event already finished, or already made more attempts.
     */
    boolean isStale(RetryEnvelope envelope) {
        return stale(ledger.get(envelope.getEventId()), envelope);
    }

    private static boolean stale(EventStatus known, RetryEnvelope envelope) {
        return known != null
                && (Status.valueOf(known.getStatus()).finished() || known.getAttempts() > envelope.getAttempts());
    }

    /** Sends an unreadable tier record to the dead-letter topic, bytes untouched, with the reason. */
    void deadLetterInvalid(Record<byte[], byte[]> record, RecordMetadata md, int tier, String reason, long now) {
        String id = "invalid-" + md.topic() + "-" + md.partition() + "@" + md.offset();
        RetryEnvelope envelope = EnvelopeFactory.fromRecord(
                id,
                record.key(),
                record.value(),
                record.headers(),
                md.topic(),
                md.partition(),
                md.offset(),
                // a tier record's timestamp is 0 to Kafka Streams (TierTimestampExtractor)
                record.timestamp() > 0 ? record.timestamp() : now,
                now);
        envelope.setTier(tier);
        envelope.setErrors(new ArrayList<>(java.util.List.of(ErrorRecord.newBuilder()
                .setTimestamp(now)
                .setTopic(md.topic())
                .setTier(tier)
                .setAttempt(0)
                .setKind("INVALID_RECORD")
                .setMessage(
                        EnvelopeFactory.truncate(reason, live.get().history().maxMessageChars()))
                .build())));
        log.warn(
                "unreadable record on {}-{}@{} sent to {}: {}",
                md.topic(),
                md.partition(),
                md.offset(),
                settings.topics().deadLetter(),
                LogSafe.text(reason));
        metrics.event(md.topic(), EventOutcome.INVALID);
        deadLetter(envelope, "invalid record on " + md.topic() + ": " + reason, md.topic(), now);
        resolveUnreadableHead(record, md, reason, now);
    }

    /**
     * When the unreadable record is the retry of its key's head (its {@code ladder-event-id}
     * header names the head), that head is dead too: it is marked dead-lettered and the dead-key
     * policy applies. Otherwise the key's followers would wait for a head that cannot come back.
     */
    private void resolveUnreadableHead(Record<byte[], byte[]> record, RecordMetadata md, String reason, long now) {
        byte[] key = record.key();
        Header id = record.headers().lastHeader(LadderHeaders.EVENT_ID);
        if (!ordered(key) || id == null || id.value() == null) {
            return;
        }
        String headId = new String(id.value(), StandardCharsets.UTF_8);
        if (!ordering.isHead(key, headId)) {
            return;
        }
        EventStatus head = ledger.get(headId);
        if (head != null) {
            head.setStatus(Status.DEAD_LETTERED.name());
            head.setDueTime(null);
            head.setLastError("INVALID_RECORD: "
                    + EnvelopeFactory.truncate(reason, live.get().history().maxMessageChars()));
            head.setUpdatedTime(now);
            ledger.put(head);
        }
        headDied(
                key,
                headId,
                "event " + headId + " dead-lettered: its retry " + md.topic() + "-" + md.partition() + "@" + md.offset()
                        + " is unreadable: " + reason,
                now);
    }

    private void complete(RetryEnvelope envelope, String topic, boolean forward, long now) {
        ledger.put(status(envelope, forward ? Status.SUCCEEDED : Status.DROPPED, now, null));
        metrics.event(topic, forward ? EventOutcome.SUCCEEDED : EventOutcome.DROPPED);
        if (forward && settings.topics().output().isPresent()) {
            byte[] value = Envelopes.bytes(envelope.getValue());
            context.forward(
                    new Record<>(
                            Envelopes.bytes(envelope.getKey()),
                            new Outbound(envelope.getOriginalPartition(), value),
                            envelope.getOriginalTimestamp(),
                            OutboundHeaders.forOutput(envelope)),
                    NodeNames.OUTPUT_SINK);
        }
    }

    /** Sends the tier record; false (nothing sent) when it cannot be made to fit. */
    private boolean retry(RetryEnvelope envelope, RetryDecision.Retry retry, String topic, long now) {
        int tierBefore = envelope.getTier();
        int tierAttemptBefore = envelope.getTierAttempt();
        envelope.setTier(retry.tier());
        envelope.setTierAttempt(retry.tierAttempt());
        envelope.setDueTime(retry.dueTime());
        String target = settings.topics().tier(retry.tier());
        RecordFit.Fitted record = fit.forRetry(envelope, target);
        if (record == null) {
            envelope.setTier(tierBefore);
            envelope.setTierAttempt(tierAttemptBefore);
            return false;
        }
        send(envelope, record, now, NodeNames.tierSink(retry.tier()));
        // the tier record goes to this task's own partition of the tier topic, so this task would
        // schedule it when it reads it back; it schedules it now instead, in the same transaction.
        // A retry then waits for its due time only, not for the commit and the fetch that bring
        // its record back (measured in the burst: the 1 s tier's records arrived 2.3 s after their
        // due time at p50 behind a main-topic backlog). The record read back finds its timer here
        // and is skipped (see readBack)
        timers.schedule(retry.dueTime(), envelope.getEventId(), AvroCodec.ENVELOPE.encode(envelope));
        gauges.timers(retry.tier(), 1);
        ledger.put(status(envelope, Status.RETRYING, now, retry.dueTime()));
        metrics.event(topic, EventOutcome.RETRIED);
        return true;
    }

    /** Sends a fitted tier or dead-letter record to the event's original partition of {@code sink}'s topic. */
    private void send(RetryEnvelope envelope, RecordFit.Fitted record, long now, String sink) {
        context.forward(
                new Record<>(
                        Envelopes.bytes(envelope.getKey()),
                        new Outbound(envelope.getOriginalPartition(), record.value()),
                        now,
                        record.headers()),
                sink);
    }

    private void deadLetter(RetryEnvelope envelope, String fullReason, String topic, long now) {
        // the reason quotes the failure message, which can be anything a downstream returned
        String reason =
                EnvelopeFactory.truncate(fullReason, live.get().history().maxMessageChars() + 200);
        envelope.setDueTime(null);
        envelope.setDeadLetterReason(reason);
        envelope.setDeadLetterTime(now);
        RecordFit.Fitted record = fit.forDeadLetter(envelope, settings.topics().deadLetter());
        send(envelope, record, now, NodeNames.DLT_SINK);
        ledger.put(status(envelope, Status.DEAD_LETTERED, now, null));
        ErrorRecord last = Envelopes.lastError(envelope);
        metrics.deadLetter(
                last == null ? null : last.getExceptionClass() == null ? last.getKind() : last.getExceptionClass());
        if (!"INVALID_RECORD".equals(last == null ? null : last.getKind())) {
            metrics.event(topic, EventOutcome.DEAD_LETTERED);
        }
        // the reason quotes the failure message, which may echo the payload: INFO names the cause only
        log.info(
                "event {} dead-lettered to {} ({}); the reason is in the dead letter",
                LogSafe.text(envelope.getEventId()),
                settings.topics().deadLetter(),
                LogSafe.text(cause(last)));
        log.debug("event {} dead-letter reason: {}", LogSafe.text(envelope.getEventId()), LogSafe.text(reason));
    }

    private static String cause(ErrorRecord last) {
        if (last == null) {
            return "no failure recorded";
        }
        String cls = last.getExceptionClass() == null ? last.getKind() : last.getExceptionClass();
        return last.getHttpStatus() == null ? cls : "HTTP " + last.getHttpStatus() + ", " + cls;
    }

    private EventStatus status(RetryEnvelope envelope, Status status, long now, Long due) {
        return EventStatus.newBuilder()
                .setEventId(envelope.getEventId())
                .setStatus(status.name())
                .setOriginalTopic(envelope.getOriginalTopic())
                .setOriginalPartition(envelope.getOriginalPartition())
                .setOriginalOffset(envelope.getOriginalOffset())
                .setAttempts(envelope.getAttempts())
                .setTier(envelope.getTier())
                .setDueTime(due)
                .setLastError(Envelopes.describe(Envelopes.lastError(envelope)))
                .setFirstSeenTime(envelope.getFirstAttemptTime())
                .setUpdatedTime(now)
                .setCheckpoint(envelope.getCheckpoint())
                .build();
    }

    private boolean ordered(byte[] key) {
        return key != null && settings.ordering() == LadderSettings.Ordering.PER_KEY;
    }
}
