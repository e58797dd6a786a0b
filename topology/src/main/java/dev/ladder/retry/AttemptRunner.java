package dev.ladder.retry;

import dev.ladder.avro.RetryEnvelope;
import dev.ladder.downstream.DownstreamGate;
import dev.ladder.downstream.Permit;
import dev.ladder.handler.Event;
import dev.ladder.handler.Outcome;
import dev.ladder.serde.AvroCodec;
import dev.ladder.topology.LadderMetrics;
import dev.ladder.topology.LadderSettings;
import dev.ladder.topology.LiveSettings;
import java.nio.ByteBuffer;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * One attempt of one event, in its three steps: ask the downstream gate and execute
 * ({@link AttemptExecutor}), decide ({@link RetryDecider}), record ({@link OutcomeRecorder}). When
 * the gate says the downstream is down or busy, the event is deferred instead: kept in the timers
 * store until the gate opens, its attempts untouched.
 */
final class AttemptRunner {

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

    /** Runs one attempt of {@code envelope} as attempt {@code tierAttempt} on {@code tier}. */
    void run(RetryEnvelope envelope, int tier, int tierAttempt, String topic) {
        // read once: a live change applies from the next attempt, never halfway through one
        LadderSettings current = live.get();
        Permit permit = gate.acquire(clock.getAsLong());
        if (permit instanceof Permit.Defer defer) {
            defer(envelope, tier, tierAttempt, defer);
            return;
        }
        Permit.Call call = (Permit.Call) permit;
        AttemptExecutor.pause(call.waitMillis());
        int attempt = envelope.getAttempts() + 1;
        Event event = Envelopes.toEvent(envelope, attempt, tier, current.maxCheckpointBytes());
        AttemptExecutor.Result raw = executor.execute(event, current.policy(), current.handlerTimeout());
        long now = clock.getAsLong();
        // bound the hint once, before anything reads it: the gate's 429 pause converts it too
        AttemptExecutor.Result result =
                new AttemptExecutor.Result(Hints.bounded(raw.outcome(), now, current.maxRetryAfter()), raw.kind());
        gate.record(call, result.outcome(), now);
        byte[] checkpoint = event.checkpoint().current();
        envelope.setCheckpoint(checkpoint == null ? null : ByteBuffer.wrap(checkpoint));
        if (call.probe() && result.outcome() instanceof Outcome.Transient) {
            // a failed probe says the downstream is still down, not that this event is bad
            long next = now + current.breaker().probeInterval().toMillis();
            defer(envelope, tier, tierAttempt, new Permit.Defer(next, "probe-failed"));
            return;
        }
        RetryDecision decision = new RetryDecider(current.policy(), current.maxRetryAfter(), random)
                .decide(tier, tierAttempt, attempt, envelope.getFirstAttemptTime(), result.outcome(), now);
        recorder.record(envelope, tier, attempt, topic, result, decision, now);
    }

    /** Keeps an event in the timers store until the gate opens, without spending an attempt. */
    private void defer(RetryEnvelope envelope, int tier, int tierAttempt, Permit.Defer defer) {
        envelope.setTier(tier);
        envelope.setTierAttempt(tierAttempt);
        envelope.setDueTime(defer.untilMillis());
        envelope.setDeferrals(envelope.getDeferrals() + 1);
        timers.schedule(defer.untilMillis(), envelope.getEventId(), AvroCodec.ENVELOPE.encode(envelope));
        gauges.timers(1);
        recorder.deferred(envelope, defer, clock.getAsLong());
    }
}
