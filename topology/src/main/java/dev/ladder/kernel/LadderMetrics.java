package dev.ladder.kernel;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Ladder's own meters, named once. In Prometheus format they read {@code ladder_events_total},
 * {@code ladder_dead_letters_total}, {@code ladder_handler_duration_seconds},
 * {@code ladder_retry_lateness_seconds}, {@code ladder_punctuation_duration_seconds},
 * {@code ladder_timers_pending}, {@code ladder_parked_events}, {@code ladder_blocked_keys},
 * {@code ladder_breaker_state}, {@code ladder_breaker_transitions_total} and
 * {@code ladder_deferrals_total}.
 *
 * <p>The gauges are sums over the tasks of this instance: each task reports its own counts, which
 * are dropped when the task closes (and so move with the task on a rebalance).
 */
public final class LadderMetrics {

    /** Counter: events by source topic and outcome. */
    public static final String EVENTS = "ladder.events";
    /** Counter: dead letters by exception class. */
    public static final String DEAD_LETTERS = "ladder.dead.letters";
    /** Timer: handler call time by outcome. */
    public static final String HANDLER_DURATION = "ladder.handler.duration";
    /** Timer: how late a retry ran after its due time, by tier topic. */
    public static final String RETRY_LATENESS = "ladder.retry.lateness";
    /** Timer: time one punctuation took. */
    public static final String PUNCTUATION_DURATION = "ladder.punctuation.duration";
    /** Gauge: retries waiting in the timers store. */
    public static final String TIMERS_PENDING = "ladder.timers.pending";
    /**
     * Gauge, seconds: how long the retry that fell due first has been due without starting, over
     * the tasks of this instance (0 when none is due). Updated every punctuation interval.
     */
    public static final String OLDEST_PENDING = "ladder.retry.oldest.pending";
    /**
     * Gauge: retries waiting in the timers store per tier topic ({@code topic} tag; the main topic's
     * are first attempts the downstream gate deferred): the backlog of each tier.
     */
    public static final String TIER_PENDING = "ladder.tier.pending";
    /** Gauge: followers parked behind a retrying event of the same key. */
    public static final String PARKED_EVENTS = "ladder.parked.events";
    /** Gauge: handler calls in flight. */
    public static final String IN_FLIGHT = "ladder.handler.in.flight";
    /** Gauge: keys held after their head died under the hold policy. */
    public static final String BLOCKED_KEYS = "ladder.blocked.keys";
    /** Gauge: the downstream circuit breaker's state, 0 closed, 1 half-open, 2 open. */
    public static final String BREAKER_STATE = "ladder.breaker.state";
    /** Counter: circuit breaker transitions by the state entered ({@code to}). */
    public static final String BREAKER_TRANSITIONS = "ladder.breaker.transitions";
    /** Counter: handler calls the downstream gate deferred, by reason. */
    public static final String DEFERRALS = "ladder.deferrals";

    /** Every meter name above, for tests and dashboards that must agree with the code. */
    public static final List<String> NAMES = List.of(
            EVENTS,
            DEAD_LETTERS,
            HANDLER_DURATION,
            RETRY_LATENESS,
            PUNCTUATION_DURATION,
            TIMERS_PENDING,
            OLDEST_PENDING,
            TIER_PENDING,
            PARKED_EVENTS,
            IN_FLIGHT,
            BLOCKED_KEYS,
            BREAKER_STATE,
            BREAKER_TRANSITIONS,
            DEFERRALS);

    /** Values of the {@code outcome} tag of {@link #EVENTS}. */
    public enum EventOutcome {
        SUCCEEDED,
        RETRIED,
        DEAD_LETTERED,
        DROPPED,
        DUPLICATE,
        PARKED,
        INVALID;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final MeterRegistry registry;
    private final Map<String, TaskGauges> tasks = new ConcurrentHashMap<>();
    private final Map<String, Meter> meters = new ConcurrentHashMap<>();
    private final Map<String, Map<EventOutcome, Counter>> eventCounters = new ConcurrentHashMap<>();
    private final AtomicInteger breakerState = new AtomicInteger();

    public LadderMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder(TIMERS_PENDING, this, m -> m.sum(TaskGauges::timers))
                .description("Retries waiting in the timers store")
                .register(registry);
        Gauge.builder(OLDEST_PENDING, this, m -> m.max(TaskGauges::oldestPendingMillis) / 1000.0)
                .description("How long the retry that fell due first has been due without starting")
                .baseUnit("seconds")
                .register(registry);
        Gauge.builder(PARKED_EVENTS, this, m -> m.sum(TaskGauges::parked))
                .description("Events parked behind a retrying event of the same key")
                .register(registry);
        Gauge.builder(IN_FLIGHT, this, m -> m.sum(TaskGauges::inFlight))
                .description("Handler calls in flight")
                .register(registry);
        Gauge.builder(BLOCKED_KEYS, this, m -> m.sum(TaskGauges::blocked))
                .description("Keys held after their head was dead-lettered")
                .register(registry);
        // registered here, once per registry, so a gate built again never leaves a stale gauge
        Gauge.builder(BREAKER_STATE, breakerState, AtomicInteger::get)
                .description("Downstream circuit breaker state: 0 closed, 1 half-open, 2 open")
                .register(registry);
    }

    /** Metrics that go nowhere, for tests and library users who do not care. */
    public static LadderMetrics noop() {
        return new LadderMetrics(new SimpleMeterRegistry());
    }

    /** The registry these meters live in. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Counts one event outcome for a source topic. */
    public void event(String topic, EventOutcome outcome) {
        // runs for every event: looked up by topic, then outcome, with no key string built per call
        eventCounters
                .computeIfAbsent(topic, t -> new ConcurrentHashMap<>())
                .computeIfAbsent(
                        outcome,
                        o -> Counter.builder(EVENTS)
                                .description("Events by source topic and outcome")
                                .tag("topic", topic)
                                .tag("outcome", o.tag())
                                .register(registry))
                .increment();
    }

    /** Counts one dead letter by the class of its last exception ("none" when there was none). */
    public void deadLetter(String exceptionClass) {
        String exception = exceptionClass == null ? "none" : exceptionClass;
        meter(
                        DEAD_LETTERS + '\0' + exception,
                        () -> Counter.builder(DEAD_LETTERS)
                                .description("Dead letters by exception class")
                                .tag("exception", exception)
                                .register(registry))
                .increment();
    }

    /** Records one handler call. */
    public void handlerCall(String outcome, Duration elapsed) {
        meter(
                        HANDLER_DURATION + '\0' + outcome,
                        () -> Timer.builder(HANDLER_DURATION)
                                .description("Handler call time by outcome")
                                .tag("outcome", outcome)
                                .publishPercentileHistogram()
                                .register(registry))
                .record(elapsed);
    }

    /** Records how late a retry ran after its due time. */
    public void lateness(String tierTopic, Duration late) {
        meter(
                        RETRY_LATENESS + '\0' + tierTopic,
                        () -> Timer.builder(RETRY_LATENESS)
                                .description("Actual minus due time of retries")
                                .tag("topic", tierTopic)
                                .publishPercentileHistogram()
                                .minimumExpectedValue(Duration.ofMillis(1))
                                .maximumExpectedValue(Duration.ofMinutes(10))
                                .register(registry))
                .record(late.isNegative() ? Duration.ZERO : late);
    }

    /** Records one punctuation's duration. */
    public void punctuation(Duration elapsed) {
        meter(
                        PUNCTUATION_DURATION,
                        () -> Timer.builder(PUNCTUATION_DURATION)
                                .description("Time one punctuation took")
                                .register(registry))
                .record(elapsed);
    }

    /**
     * The meter registered under {@code key}, registering it the first time. These are called for
     * every record; a builder plus a registry lookup per call (tag objects, a sorted id, a map
     * lookup) is work that belongs to the first call only.
     */
    @SuppressWarnings("unchecked")
    private <M extends Meter> M meter(String key, Supplier<M> register) {
        return (M) meters.computeIfAbsent(key, k -> register.get());
    }

    /** Records the breaker entering state {@code to} (its gauge value {@code code}: 0, 1 or 2). */
    public void breakerTransition(String to, int code) {
        breakerState.set(code);
        Counter.builder(BREAKER_TRANSITIONS)
                .description("Circuit breaker transitions by the state entered")
                .tag("to", to)
                .register(registry)
                .increment();
    }

    /** Counts one handler call the downstream gate deferred. */
    public void deferral(String reason) {
        Counter.builder(DEFERRALS)
                .description("Handler calls deferred by the downstream gate, by reason")
                .tag("reason", reason)
                .register(registry)
                .increment();
    }

    /** The gauges of one task; created on task init, dropped on task close. */
    public TaskGauges task(String taskId) {
        return tasks.computeIfAbsent(taskId, id -> new TaskGauges());
    }

    /**
     * Registers the per-tier backlog gauges ({@link #TIER_PENDING}), one per topic: index 0 the main
     * topic, then the tier topics in order. Registering the same topics again changes nothing.
     */
    public synchronized void tierTopics(List<String> topics) {
        for (int i = 0; i < topics.size(); i++) {
            int tier = i;
            // every task of every stream thread calls this: Micrometer logs a warning for a second
            // registration of a gauge, so each topic's is registered once (synchronized: two
            // stream threads initialising tasks at once both found it missing, and one warned)
            if (registry.find(TIER_PENDING).tag("topic", topics.get(i)).gauge() != null) {
                continue;
            }
            Gauge.builder(TIER_PENDING, this, m -> m.sum(g -> g.pending(tier)))
                    .description("Retries waiting in the timers store, by tier topic")
                    .tag("topic", topics.get(i))
                    .register(registry);
        }
    }

    /** Drops a closed task's gauges. */
    public void closeTask(String taskId) {
        tasks.remove(taskId);
    }

    private double sum(java.util.function.ToLongFunction<TaskGauges> f) {
        return tasks.values().stream().mapToLong(f).sum();
    }

    private double max(java.util.function.ToLongFunction<TaskGauges> f) {
        return tasks.values().stream().mapToLong(f).max().orElse(0);
    }

    /** Counts kept by one task. */
    public static final class TaskGauges {
        private final AtomicLong timers = new AtomicLong();
        private final AtomicLong parked = new AtomicLong();
        private final AtomicLong blocked = new AtomicLong();
        private final AtomicLong inFlight = new AtomicLong();
        private final AtomicLong oldestPending = new AtomicLong();
        private final Map<Integer, AtomicLong> byTier = new ConcurrentHashMap<>();

        long oldestPendingMillis() {
            return oldestPending.get();
        }

        /**
         * Notes when the first timer of the task fell due ({@link Long#MAX_VALUE} when it has none),
         * as seen at {@code now}: a timer due in the future is not pending yet.
         */
        public void firstDue(long dueMillis, long now) {
            oldestPending.set(dueMillis == Long.MAX_VALUE ? 0 : Math.max(0, now - dueMillis));
        }

        long inFlight() {
            return inFlight.get();
        }

        public void inFlight(long delta) {
            inFlight.addAndGet(delta);
        }

        long timers() {
            return timers.get();
        }

        long parked() {
            return parked.get();
        }

        long blocked() {
            return blocked.get();
        }

        /** A timer of {@code tier} (0: a first attempt deferred) was added (+1) or started (-1). */
        public void timers(int tier, long delta) {
            timers.addAndGet(delta);
            byTier.computeIfAbsent(tier, t -> new AtomicLong()).addAndGet(delta);
        }

        long pending(int tier) {
            AtomicLong n = byTier.get(tier);
            return n == null ? 0 : n.get();
        }

        public void parked(long delta) {
            parked.addAndGet(delta);
        }

        public void blocked(long delta) {
            blocked.addAndGet(delta);
        }

        /** Sets the timer counts found by a scan of the timers store at init, by tier. */
        public void resetTimers(Map<Integer, Long> timersByTier) {
            byTier.clear();
            timersByTier.forEach((tier, n) -> byTier.put(tier, new AtomicLong(n)));
            timers.set(timersByTier.values().stream().mapToLong(Long::longValue).sum());
        }

        /** Sets the parked followers and held keys found by a scan of the keys store at init. */
        public void resetKeys(long parkedCount, long blockedCount) {
            parked.set(parkedCount);
            blocked.set(blockedCount);
        }
    }
}
