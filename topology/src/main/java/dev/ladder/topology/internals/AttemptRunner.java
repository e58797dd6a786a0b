package dev.ladder.topology.internals;

import dev.ladder.avro.ErrorRecord;
import dev.ladder.avro.RetryEnvelope;
import dev.ladder.downstream.DownstreamGate;
import dev.ladder.downstream.Permit;
import dev.ladder.handler.Event;
import dev.ladder.handler.Outcome;
import dev.ladder.kernel.LadderMetrics;
import dev.ladder.policy.LadderSettings;
import dev.ladder.policy.LiveSettings;
import dev.ladder.policy.Tier;
import dev.ladder.serde.AvroCodec;
import dev.ladder.serde.Envelopes;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * One attempt of one event, in its steps: ask the downstream gate ({@link #begin}), execute
 * elsewhere ({@link #call}, {@link AttemptExecutor}), then back on the stream thread decide
 * ({@link RetryDecider}) and record ({@link OutcomeRecorder}) in {@link #finish}. When
 * the gate says the downstream is down or busy, the event is deferred instead: kept in the timers
 * store until the gate opens, its attempts untouched.
 */
final class AttemptRunner {

    /** The error kind of a failure given back because it happened during an outage. */
    static final String OUTAGE = "OUTAGE";
    /**
     * The kind of the error record of a failed half-open probe: it costs no attempt, and from then
     * on the event counts as retried for the breaker (its next failed probe is no evidence).
     */
    static final String PROBE = "PROBE";
    /**
     * The longest a dead letter waits for its confirmation, in probe intervals, while the
     * downstream may be down: then it goes to the DLT whatever the downstream does.
     */
    static final int MAX_CONFIRM_WAIT_INTERVALS = 3;

    private final LiveSettings live;
    private final DownstreamGate gate;
    private final AttemptExecutor executor;
    private final OutcomeRecorder recorder;
    private final TimerQueue timers;
    private final LadderMetrics.TaskGauges gauges;
    private final RandomGenerator random;
    private final LongSupplier clock;

    AttemptRunner(
            LiveSettings live,
            DownstreamGate gate,
            AttemptExecutor executor,
            OutcomeRecorder recorder,
            TimerQueue timers,
            LadderMetrics.TaskGauges gauges,
            RandomGenerator random,
            LongSupplier clock) {
        this.live = live;
        this.gate = gate;
        this.executor = executor;
        this.recorder = recorder;
        this.timers = timers;
        this.gauges = gauges;
        this.random = random;
        this.clock = clock;
    }

    /**
     * An attempt whose handler call is in flight: what {@link #finish} needs to record it once the
     * call's result is back on the stream thread.
     *
     * @param envelope the event as it was before the attempt (its attempt not yet counted)
     * @param startedAt when the call was started, on the task's clock
     */
    record Pending(
            RetryEnvelope envelope,
            int tier,
            int tierAttempt,
            String topic,
            LadderSettings settings,
            Permit.Call call,
            Event event,
            long startedAt) {

        /** The event's key bytes (null for a null key). */
        byte[] key() {
            return Envelopes.bytes(envelope.getKey());
        }
    }

    /**
     * Begins one attempt of {@code envelope} as attempt {@code tierAttempt} on {@code tier}: what
     * needs no call (a deferral, a confirmed dead letter) is recorded at once and null returned;
     * otherwise the returned attempt's call is to be started with {@link #call}.
     */
    Pending begin(RetryEnvelope envelope, int tier, int tierAttempt, String topic) {
        // read once: a live change applies from the next attempt, never halfway through one
        LadderSettings current = live.get();
        String pendingDeadLetter = envelope.getDeadLetterReason();
        // latest first: every failure since the event's last own one that an outage caused
        List<ErrorRecord> refunded = refundOutages(envelope);
        int undo = refunded.size();
        if (pendingDeadLetter != null) {
            ErrorRecord last = Envelopes.lastError(envelope);
            long now = clock.getAsLong();
            long interval = current.breaker().probeInterval().toMillis();
            if (refunded.isEmpty()
                    && last != null
                    && gate.mayBeDownSince(last.getTimestamp())
                    && now - last.getTimestamp() < MAX_CONFIRM_WAIT_INTERVALS * interval) {
                // nobody was answered since it failed and others failed too: the downstream may be
                // down without the breaker having judged it yet (measured in the soak: with most
                // keys waiting behind retries there were few first attempts, and it opened 7 s into
                // the outage), so wait longer
                defer(envelope, tier, tierAttempt, new Permit.Defer(now + interval, "confirm-dead-letter"));
                return null;
            }
            if (refunded.isEmpty()) {
                // confirmed: the last failure was the event's own, not an outage's
                recorder.deadLetterDecided(envelope, tier, topic, pendingDeadLetter, clock.getAsLong());
                return null;
            }
            // the outage cost the last attempt: run the same slot again (and undo any earlier)
            envelope.setDeadLetterReason(null);
            undo--;
        }
        for (ErrorRecord given : refunded.subList(refunded.size() - undo, refunded.size())) {
            // the slot of the attempt given back: the same tier one attempt earlier, or the last
            // attempt of the tier before (the main topic for tier 0)
            int from = given.getTier();
            tierAttempt = from == tier ? Math.max(1, tierAttempt - 1) : lastAttemptOf(current, from);
            tier = from;
            topic = from == 0
                    ? current.topics().main()
                    : current.topics()
                            .tier(Math.min(from, current.topics().tiers().size()));
        }
        // any failure before, its own or given back as an outage's: an event whose earlier failure
        // was refunded is not fresh to the breaker (measured in the full outage soak: counted as
        // first attempts, the refunded events that fail by plan re-opened the breaker 0.4 - 3 s
        // after it closed, in 3 runs of 4). Whether its failure now is evidence is judged by the
        // same rule as any retry's: only when nobody was answered since it last failed
        ErrorRecord lastError = Envelopes.lastError(envelope);
        long previousFailureAt = lastError == null ? Long.MIN_VALUE : lastError.getTimestamp();
        long now = clock.getAsLong();
        Permit permit = gate.acquire(now, previousFailureAt);
        if (permit instanceof Permit.Defer defer) {
            defer(envelope, tier, tierAttempt, defer);
            return null;
        }
        int attempt = envelope.getAttempts() + 1;
        Event event = EnvelopeFactory.toEvent(envelope, attempt, tier, current.maxCheckpointBytes());
        return new Pending(envelope, tier, tierAttempt, topic, current, (Permit.Call) permit, event, now);
    }

    /** Starts the handler call of an attempt begun by {@link #begin}; the stage never fails. */
    CompletableFuture<AttemptExecutor.Result> call(Pending pending) {
        LadderSettings current = pending.settings();
        return executor.start(
                pending.event(),
                current.policy(),
                current.handlerTimeout(),
                pending.call().waitMillis(),
                new AttemptExecutor.CallGuard() {
                    @Override
                    public long holdMillis() {
                        return gate.holdMillis(clock.getAsLong());
                    }

                    @Override
                    public void answered(Outcome outcome) {
                        long now = clock.getAsLong();
                        gate.answered(Hints.bounded(outcome, now, current.maxRetryAfter()), now);
                    }
                });
    }

    /**
     * Records an attempt whose call came back with {@code raw} at {@code now}: the gate learns
     * the answer, then the attempt is decided and recorded (or deferred when the downstream is
     * down).
     */
    void finish(Pending pending, AttemptExecutor.Result raw, long now) {
        LadderSettings current = pending.settings();
        RetryEnvelope envelope = pending.envelope();
        int tier = pending.tier();
        int tierAttempt = pending.tierAttempt();
        String topic = pending.topic();
        Permit.Call call = pending.call();
        int attempt = envelope.getAttempts() + 1;
        // bound the hint once, before anything reads it: the gate's 429 pause converts it too
        AttemptExecutor.Result result =
                new AttemptExecutor.Result(Hints.bounded(raw.outcome(), now, current.maxRetryAfter()), raw.kind());
        gate.record(call, result.outcome(), pending.startedAt(), now);
        byte[] checkpoint = pending.event().checkpoint().current();
        envelope.setCheckpoint(checkpoint == null ? null : ByteBuffer.wrap(checkpoint));
        if (result.outcome() instanceof Outcome.Transient
                && (call.probe() || gate.state(now) != DownstreamGate.State.CLOSED || gate.onTrial(now))) {
            // a failed probe, or a failure that found (or made) the breaker open, says the
            // downstream is down, not that this event is bad: it costs the event no attempt
            long interval = current.breaker().probeInterval().toMillis();
            long wait = interval;
            if (call.probe()) {
                ErrorRecord last = Envelopes.lastError(envelope);
                if (last != null && PROBE.equals(last.getKind())) {
                    // it failed a probe of this outage before: it waits a phase out, behind the
                    // events deferred with it, so that others probe next (not longer: once the
                    // downstream is back it waits for nothing but this)
                    wait = 2 * interval;
                } else {
                    LadderSettings.HistoryLimits limits = current.history();
                    EnvelopeFactory.appendError(
                            envelope,
                            EnvelopeFactory.error(result.outcome(), PROBE, topic, tier, attempt, now, limits),
                            limits);
                }
            }
            defer(
                    envelope,
                    tier,
                    tierAttempt,
                    new Permit.Defer(now + wait, call.probe() ? "probe-failed" : "breaker-open"));
            return;
        }
        RetryDecision decision = new RetryDecider(current.policy(), current.maxRetryAfter(), random)
                .decide(tier, tierAttempt, attempt, envelope.getFirstAttemptTime(), result.outcome(), now);
        if (decision instanceof RetryDecision.DeadLetter dead
                && result.outcome() instanceof Outcome.Transient
                && current.breaker().enabled()) {
            // a last attempt that failed transiently may have met the first moments of an outage
            // the breaker has not judged yet: confirm one probe interval later before dead-lettering
            LadderSettings.HistoryLimits limits = current.history();
            envelope.setAttempts(attempt);
            EnvelopeFactory.appendError(
                    envelope,
                    EnvelopeFactory.error(result.outcome(), result.kind(), topic, tier, attempt, now, limits),
                    limits);
            envelope.setDeadLetterReason(dead.reason());
            long confirmAt = now + current.breaker().probeInterval().toMillis();
            defer(envelope, tier, tierAttempt, new Permit.Defer(confirmAt, "confirm-dead-letter"));
            return;
        }
        recorder.record(envelope, tier, attempt, topic, result, decision, now);
    }

    /**
     * Gives back the attempts an outage cost the event: walking back from its last failure, each
     * one that happened during an outage the breaker saw (the failures that opened it come before
     * anyone can know, and an event may fail twice before it opens) is marked {@value #OUTAGE} and
     * no longer counts. Each failure is given back once; the walk stops at the event's own last
     * failure.
     *
     * @return the failures given back, latest first
     */
    private List<ErrorRecord> refundOutages(RetryEnvelope envelope) {
        List<ErrorRecord> given = new ArrayList<>();
        List<ErrorRecord> errors = envelope.getErrors();
        for (int i = errors == null ? -1 : errors.size() - 1; i >= 0 && envelope.getAttempts() > 0; i--) {
            ErrorRecord error = errors.get(i);
            if (OUTAGE.equals(error.getKind()) || PROBE.equals(error.getKind())) {
                // given back before, or a failed probe, which never cost an attempt
                continue;
            }
            if (!gate.outageAt(error.getTimestamp())) {
                break;
            }
            error.setKind(OUTAGE);
            envelope.setAttempts(envelope.getAttempts() - 1);
            given.add(error);
        }
        return given;
    }

    private static int lastAttemptOf(LadderSettings settings, int tier) {
        if (tier <= 0 || tier > settings.policy().tiers().size()) {
            return 1;
        }
        Tier t = settings.policy().tier(tier);
        return t.isUnlimited() ? 1 : t.attempts();
    }

    /** Keeps an event in the timers store until the gate opens, without spending an attempt. */
    private void defer(RetryEnvelope envelope, int tier, int tierAttempt, Permit.Defer defer) {
        envelope.setTier(tier);
        envelope.setTierAttempt(tierAttempt);
        envelope.setDueTime(defer.untilMillis());
        envelope.setDeferrals(envelope.getDeferrals() + 1);
        timers.schedule(defer.untilMillis(), envelope.getEventId(), AvroCodec.ENVELOPE.encode(envelope));
        gauges.timers(tier, 1);
        recorder.deferred(envelope, defer, clock.getAsLong());
    }
}
