package dev.ladder.topology.internals;

import dev.ladder.avro.RetryEnvelope;
import dev.ladder.downstream.DownstreamGate;
import dev.ladder.handler.EventHandler;
import dev.ladder.kernel.LadderClock;
import dev.ladder.kernel.LadderHeaders;
import dev.ladder.kernel.LadderMetrics;
import dev.ladder.kernel.LadderMetrics.EventOutcome;
import dev.ladder.kernel.LogSafe;
import dev.ladder.policy.LadderSettings;
import dev.ladder.policy.LiveSettings;
import dev.ladder.serde.AvroCodec;
import dev.ladder.serde.Envelopes;
import dev.ladder.serde.InvalidRecordException;
import dev.ladder.serde.RetryStores;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ladder's processor. Records from the main topic get their first attempt (or are parked
 * behind their key's retrying head, or dropped as duplicates); records from tier topics are held
 * in the timers store until due; a wall-clock punctuator runs the due ones.
 *
 * <p>Each attempt has three separate steps: execute ({@link AttemptExecutor}, off the stream
 * thread), decide ({@link RetryDecider}) and record the outcome ({@link OutcomeRecorder}), both on
 * the stream thread. {@link AttemptEngine} keeps up to {@code handler.concurrency} calls in flight
 * (one per key under per-key ordering) and records their results as they come back; before every
 * commit its barrier records the rest, so a commit never covers an unrecorded outcome.
 */
final class RetryProcessor implements Processor<byte[], byte[], byte[], Outbound> {

    private static final Logger log = LoggerFactory.getLogger(RetryProcessor.class);
    private static final int BATCH = 200;
    /** The time a stream thread's tasks may spend starting calls per transaction. */
    private static final Duration WORK_BUDGET = Duration.ofSeconds(5);
    /** The most one punctuation spends forgetting expired ids. */
    private static final Duration EXPIRY_BUDGET = Duration.ofMillis(500);
    /** How often due retries and returned results are looked at, at most. */
    private static final Duration PUMP_INTERVAL = Duration.ofMillis(50);

    private final LiveSettings live;
    private final LadderSettings settings;
    private final EventHandler handler;
    private final DownstreamGate gate;
    private final Serde<RetryEnvelope> serde;
    private final LadderMetrics metrics;
    private final RandomGenerator random;
    private final LadderClock sharedClock;
    private final ThreadShares shares;

    private ProcessorContext<byte[], Outbound> context;
    private TimerQueue timers;
    private KeyOrdering ordering;
    private EventLedger ledger;
    private AttemptExecutor executor;
    private OutcomeRecorder recorder;
    private AttemptRunner runner;
    private AttemptEngine engine;
    private ThreadShares.Share share;
    private Object node;
    private LostHeads lostHeads;
    private LadderMetrics.TaskGauges gauges;
    private String taskId;
    private LadderClock clock;
    private long backSteps;
    private Cancellable punctuation;
    private Cancellable pump;
    private long nextDueCheck = Long.MIN_VALUE;
    private long windowStart;
    private boolean windowStarted;

    RetryProcessor(
            LiveSettings live,
            EventHandler handler,
            DownstreamGate gate,
            Serde<RetryEnvelope> serde,
            LadderMetrics metrics,
            RandomGenerator random,
            LadderClock clock,
            ThreadShares shares) {
        this.live = live;
        // the parts of the settings that shape the topology never change while it runs
        this.settings = live.get();
        this.handler = handler;
        this.gate = gate;
        this.serde = serde;
        this.metrics = metrics;
        this.random = random;
        this.sharedClock = clock;
        this.shares = shares;
    }

    @Override
    public void init(ProcessorContext<byte[], Outbound> context) {
        this.context = context;
        // without a clock of the application's, the task follows its context's (mockable) time
        this.clock = sharedClock != null ? sharedClock : LadderClock.following(this::contextTime);
        this.backSteps = clock.backSteps();
        KeyValueStore<Bytes, byte[]> timerStore = context.getStateStore(RetryStores.TIMERS);
        // without transactions, a taken timer is deleted only once a commit has flushed what replaced it
        boolean exactlyOnce = !StreamsConfig.AT_LEAST_ONCE.equals(
                String.valueOf(context.appConfigs().get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)));
        this.timers = new TimerQueue(timerStore, !exactlyOnce);
        this.taskId = context.taskId().toString();
        this.gauges = metrics.task(taskId);
        this.ordering = new KeyOrdering(
                context.getStateStore(RetryStores.KEYS),
                context.getStateStore(RetryStores.PARKED),
                !exactlyOnce,
                gauges);
        Duration kept = settings.idempotencyRetention();
        this.ledger = new EventLedger(
                context.getStateStore(RetryStores.EVENTS),
                context.getStateStore(RetryStores.FINISHED),
                context.getStateStore(RetryStores.EVENTS_EXPIRY),
                // the finished store keeps what it was built for; a longer retention needs a restart
                () -> min(live.get().idempotencyRetention(), kept),
                this::now,
                !exactlyOnce);
        this.share = shares.join();
        // as many pool workers as the task may have calls in flight
        this.executor = new AttemptExecutor(handler, metrics, this::taskLimit);
        KeyOrdering.Census census = ordering.census();
        List<String> topicsByTier = new ArrayList<>();
        topicsByTier.add(settings.topics().main());
        topicsByTier.addAll(settings.topics().tiers());
        metrics.tierTopics(topicsByTier);
        gauges.resetTimers(timers.countBy(this::tierOf));
        this.recorder = new OutcomeRecorder(live, context, serde, ordering, ledger, timers, metrics, gauges);
        this.runner = new AttemptRunner(live, gate, executor, recorder, timers, gauges, random, this::now);
        this.engine = new AttemptEngine(
                runner,
                ordering,
                gauges,
                settings.ordering() == LadderSettings.Ordering.PER_KEY,
                this::taskLimit,
                this::now);
        // keys whose head resolved before the task last stopped: their followers run first
        census.free().forEach(engine::keyMayBeFree);
        this.lostHeads = new LostHeads(ordering, ledger, timers, now());
        this.node = CommitBarrier.currentNode(context);
        CommitBarrier barrier = context.getStateStore(CommitBarrier.NAME);
        barrier.beforeCommit(this::beforeCommit);
        barrier.afterCommit(this::releaseCommitted);
        this.punctuation =
                context.schedule(settings.punctuationInterval(), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
        Duration pumpEvery = settings.punctuationInterval().compareTo(PUMP_INTERVAL) < 0
                ? settings.punctuationInterval()
                : PUMP_INTERVAL;
        this.pump = context.schedule(pumpEvery, PunctuationType.WALL_CLOCK_TIME, this::pumpPunctuate);
    }

    /**
     * Runs before every commit of the task (see {@link CommitBarrier}): records every call in
     * flight, so the commit covers their outcomes.
     */
    private void beforeCommit() {
        if (engine != null && engine.size() > 0) {
            CommitBarrier.asProcessor(context, node, now(), () -> engine.barrier(deadline()));
        }
        // every taken timer's and follower's outcome is recorded now, and this commit flushes it
        timers.committing();
        ordering.committing();
        ledger.committing();
        // the next transaction's work budget starts with its first work
        windowStarted = false;
    }

    /**
     * At-least-once: deletes the timers and parked followers, and writes the statuses, that a
     * finished commit covered (their records are in Kafka now). Runs right after the commit, and
     * again at each process and punctuation in case a commit path skipped it.
     */
    private void releaseCommitted() {
        timers.release();
        ordering.releaseCommitted();
        ledger.releaseCommitted();
    }

    /**
     * Until when the task may start new calls in this transaction: {@link #WORK_BUDGET} per stream
     * thread, shared by its tasks, counted from the last commit. Whatever is due after that waits
     * for the next transaction (a 20,000-follower key or a backlog of slow retries spreads over
     * several), so no transaction comes near {@code transaction.timeout.ms}.
     */
    private long deadline() {
        if (!windowStarted) {
            windowStarted = true;
            windowStart = System.nanoTime();
        }
        long part = Math.max(Duration.ofMillis(100).toNanos(), WORK_BUDGET.toNanos() / share.tasks());
        return windowStart + part;
    }

    /**
     * After the clock went back, re-arms the punctuation: Kafka Streams fires a wall-clock
     * punctuation only once its own time passes the one it scheduled, so a step back of an hour
     * would stop every retry for an hour (the application's {@link LadderClock#streamsTime()}
     * prevents that; an embedding application's Kafka Streams may not use it).
     */
    private void rearmAfterBackStep() {
        long steps = clock.backSteps();
        if (steps != backSteps) {
            backSteps = steps;
            punctuation.cancel();
            punctuation =
                    context.schedule(settings.punctuationInterval(), PunctuationType.WALL_CLOCK_TIME, this::punctuate);
            pump.cancel();
            pump = context.schedule(PUMP_INTERVAL, PunctuationType.WALL_CLOCK_TIME, this::pumpPunctuate);
        }
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        rearmAfterBackStep();
        releaseCommitted();
        long deadline = deadline();
        engine.pump(deadline);
        long now = now();
        if (now >= nextDueCheck || engine.free() == 0) {
            // due retries take their slots before new events do: a main-topic backlog keeps the
            // stream thread in process() and must not make them wait for a punctuation, and when
            // every slot is taken the next one freed goes to a due retry, not to this record
            // (measured: checking only every 50 ms, the 1 s tier ran 7 s late at p99 in a burst)
            nextDueCheck = now + PUMP_INTERVAL.toMillis();
            runDue(deadline);
        }
        RecordMetadata md = context.recordMetadata().orElseThrow();
        int tier = settings.topics().tierOf(md.topic());
        if (tier == 0) {
            onMainRecord(record, md);
        } else {
            onTierRecord(record, md, tier);
        }
    }

    private void onMainRecord(Record<byte[], byte[]> record, RecordMetadata md) {
        String eventId = eventId(record, md);
        if (engine.inFlight(eventId) || ledger.get(eventId) != null) {
            metrics.event(md.topic(), EventOutcome.DUPLICATE);
            log.debug(
                    "dropping duplicate event {} at {}-{}@{}",
                    LogSafe.text(eventId),
                    md.topic(),
                    md.partition(),
                    md.offset());
            return;
        }
        RetryEnvelope envelope = EnvelopeFactory.fromRecord(
                eventId,
                record.key(),
                record.value(),
                record.headers(),
                md.topic(),
                md.partition(),
                md.offset(),
                record.timestamp(),
                now());
        byte[] key = record.key();
        if (ordered(key) && (engine.busy(key) || ordering.isBlocked(key))) {
            ordering.park(key, AvroCodec.ENVELOPE.encode(envelope));
            recorder.parked(envelope, now());
            metrics.event(md.topic(), EventOutcome.PARKED);
            return;
        }
        engine.start(envelope, 0, 1, md.topic());
    }

    private void onTierRecord(Record<byte[], byte[]> record, RecordMetadata md, int tier) {
        Header control = record.headers().lastHeader(LadderHeaders.CONTROL);
        if (control != null) {
            onControl(record, md, control);
            return;
        }
        RetryEnvelope envelope;
        try {
            envelope = serde.deserializer().deserialize(md.topic(), record.value());
            if (envelope == null) {
                throw new InvalidRecordException("null value (tombstone) on a tier topic");
            }
        } catch (RuntimeException e) {
            // a tier record is input like any other: whatever the serde throws on it (a pluggable
            // serde may throw anything) sends the record to the DLT instead of killing the thread
            deadLetterInvalid(record, md, tier, reason(e));
            return;
        }
        String problem = EnvelopeChecks.problem(envelope, record.key(), now(), live.get());
        if (problem != null) {
            deadLetterInvalid(record, md, tier, problem);
            return;
        }
        OutcomeRecorder.ReadBack readBack = recorder.readBack(envelope);
        if (readBack == OutcomeRecorder.ReadBack.STALE) {
            metrics.event(md.topic(), EventOutcome.DUPLICATE);
            return;
        }
        if (readBack == OutcomeRecorder.ReadBack.SCHEDULED || engine.inFlight(envelope.getEventId())) {
            // this task scheduled the retry when it wrote the record (or runs it now)
            return;
        }
        long due = envelope.getDueTime() == null ? now() : envelope.getDueTime();
        timers.schedule(due, envelope.getEventId(), AvroCodec.ENVELOPE.encode(envelope));
        gauges.timers(tier, 1);
    }

    /** Dead-letters an unreadable tier record; when it was its key's head, the followers may go on. */
    private void deadLetterInvalid(Record<byte[], byte[]> record, RecordMetadata md, int tier, String reason) {
        recorder.deadLetterInvalid(record, md, tier, reason, now());
        engine.keyMayBeFree(record.key());
        engine.pump(deadline());
    }

    /** An operator command, run on the stream thread so that it commits with everything else. */
    private void onControl(Record<byte[], byte[]> record, RecordMetadata md, Header control) {
        String command = control.value() == null ? "" : new String(control.value(), StandardCharsets.UTF_8);
        byte[] key = record.key();
        if (!LadderHeaders.CONTROL_RELEASE_KEY.equals(command) || key == null) {
            recorder.deadLetterInvalid(
                    record,
                    md,
                    settings.topics().tierOf(md.topic()),
                    "unknown control command '" + command + "'" + (key == null ? " without a key" : ""),
                    now());
            return;
        }
        if (!ordering.release(key)) {
            log.info("release of key {} ignored: it is not held", LogSafe.key(key));
            return;
        }
        log.info("key {} released by an operator; its parked events run now", LogSafe.key(key));
        engine.keyMayBeFree(key);
        engine.pump(deadline());
    }

    /** Every punctuation interval: forgets expired ids, frees lost heads, runs due retries. */
    private void punctuate(long timestamp) {
        rearmAfterBackStep();
        releaseCommitted();
        long start = System.nanoTime();
        long deadline = deadline();
        // expiry keeps up with any finish rate, but leaves the budget's most to the due retries
        ledger.expire(now(), 1_000, Math.min(deadline, System.nanoTime() + EXPIRY_BUDGET.toNanos()));
        if (settings.ordering() == LadderSettings.Ordering.PER_KEY) {
            for (LostHeads.Lost lost : lostHeads.sweep(now())) {
                if (engine.inFlight(lost.headEventId()) || engine.busy(lost.key())) {
                    // its timer was taken and its call is in flight: not lost, just running
                    continue;
                }
                recorder.headLost(lost, now());
                engine.keyMayBeFree(lost.key());
            }
        }
        engine.pump(deadline);
        runDue(deadline);
        // what is still due after this round: the oldest pending retry's wait, for on-call
        gauges.firstDue(timers.firstDue(), now());
        metrics.punctuation(Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * Often (every {@link #PUMP_INTERVAL}): records the results that came back, starts freed keys'
     * followers and the retries that fell due, so neither waits for the next punctuation interval
     * or for a backlog of new events.
     */
    private void pumpPunctuate(long timestamp) {
        rearmAfterBackStep();
        releaseCommitted();
        long deadline = deadline();
        engine.pump(deadline);
        runDue(deadline);
    }

    /** Starts the due retries, oldest first, until none is due or the deadline passes. */
    private void runDue(long deadline) {
        List<TimerQueue.Timer> batch;
        int max;
        do {
            if (System.nanoTime() >= deadline) {
                return;
            }
            long now = now();
            if (gate.blocked(now)) {
                // the downstream is down or paused: due retries stay where they are, attempts intact
                return;
            }
            if (gate.state(now) == DownstreamGate.State.HALF_OPEN) {
                runProbes(now, deadline);
                return;
            }
            // never more than the free slots (plus one to wait for), as a batch started in full
            // could outlast the transaction
            max = Math.min(BATCH, engine.free() + 1);
            batch = timers.pollDue(now, max);
            for (TimerQueue.Timer timer : batch) {
                startDue(timer, AvroCodec.ENVELOPE.decode(timer.envelope()));
            }
            engine.pump(deadline);
        } while (batch.size() == max && System.nanoTime() < deadline);
    }

    /** Starts a due timer's attempt (tier 0: a main-topic event deferred before its first attempt). */
    private void startDue(TimerQueue.Timer timer, RetryEnvelope envelope) {
        int tier = tierOf(envelope);
        gauges.timers(tier, -1);
        String topic = tier == 0 ? settings.topics().main() : settings.topics().tier(tier);
        if (recorder.isStale(envelope) || !engine.start(envelope, tier, envelope.getTierAttempt(), topic)) {
            // at-least-once after a crash: a second timer of an event that finished meanwhile, or
            // whose call is running now (exactly-once never writes one)
            metrics.event(topic, EventOutcome.DUPLICATE);
            return;
        }
        metrics.lateness(topic, Duration.ofMillis(now() - timer.dueTime()));
    }

    /**
     * Half-open: takes the phase's probes from the due retries, fresh events first (no failure at
     * all yet, not even one given back as an outage's), and leaves the rest where they are for
     * after the phase. After an outage the due retries are mostly events that fail by their
     * nature, whose answers say little about the downstream (measured in the soak: ordered by due
     * time alone, six phases in a row probed only such events, and delivery came back 35 s after
     * the outage ended instead of about a second).
     */
    private void runProbes(long now, long deadline) {
        int probes = live.get().breaker().probes();
        List<Map.Entry<TimerQueue.Timer, RetryEnvelope>> fresh = new ArrayList<>();
        List<Map.Entry<TimerQueue.Timer, RetryEnvelope>> retried = new ArrayList<>();
        for (TimerQueue.Timer timer : timers.peekDue(now, BATCH)) {
            RetryEnvelope envelope = AvroCodec.ENVELOPE.decode(timer.envelope());
            (Envelopes.lastError(envelope) == null ? fresh : retried).add(Map.entry(timer, envelope));
        }
        List<Map.Entry<TimerQueue.Timer, RetryEnvelope>> candidates = fresh;
        candidates.addAll(retried);
        for (var probe : candidates.subList(0, Math.min(probes, candidates.size()))) {
            timers.take(probe.getKey());
            startDue(probe.getKey(), probe.getValue());
        }
        engine.pump(deadline);
    }

    /** The tier a timer's envelope waits on, within the configured ones (0: the main topic). */
    private int tierOf(RetryEnvelope envelope) {
        return Math.min(
                Math.max(envelope.getTier(), 0), settings.topics().tiers().size());
    }

    private int tierOf(byte[] envelope) {
        try {
            return tierOf(AvroCodec.ENVELOPE.decode(envelope));
        } catch (RuntimeException e) {
            // an entry this version cannot read is still counted, on the main topic
            return 0;
        }
    }

    private static String reason(RuntimeException e) {
        return e instanceof SerializationException || e instanceof InvalidRecordException
                ? e.getMessage()
                : e.getClass().getName() + ": " + e.getMessage();
    }

    private boolean ordered(byte[] key) {
        return key != null && settings.ordering() == LadderSettings.Ordering.PER_KEY;
    }

    private String eventId(Record<byte[], byte[]> record, RecordMetadata md) {
        if (settings.eventIdHeader() != null) {
            Header header = record.headers().lastHeader(settings.eventIdHeader());
            if (header != null && header.value() != null && header.value().length > 0) {
                return new String(header.value(), StandardCharsets.UTF_8);
            }
        }
        return md.topic() + "-" + md.partition() + "@" + md.offset();
    }

    private long now() {
        return clock.millis();
    }

    /** The most calls this task may have in flight: its share of its stream thread's budget, read live. */
    private int taskLimit() {
        return share.of(live.get().concurrency());
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    /**
     * The context's wall-clock time (mocked in a TopologyTestDriver, so driver runs are
     * deterministic). Kafka Streams reads it once per loop; calls no longer run on the stream
     * thread, so a loop stays short and the value fresh. The application passes a
     * {@link LadderClock} of its own instead.
     */
    private long contextTime() {
        return context.currentSystemTimeMs();
    }

    @Override
    public void close() {
        if (engine != null) {
            engine.close();
        }
        if (share != null) {
            share.close();
        }
        if (executor != null) {
            executor.close();
        }
        if (taskId != null) {
            metrics.closeTask(taskId);
        }
    }
}
