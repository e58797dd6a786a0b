package dev.ladder.topology.internals;

import dev.ladder.handler.AsyncEventHandler;
import dev.ladder.handler.Event;
import dev.ladder.handler.EventHandler;
import dev.ladder.handler.Outcome;
import dev.ladder.kernel.LadderMetrics;
import dev.ladder.policy.RetryPolicy;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one attempt without holding the stream thread: starts the handler call with a timeout,
 * repeats it for the policy's immediate retries, and turns whatever happened (a returned outcome,
 * an exception, a timeout) into a {@link Result}. It decides nothing about the ladder; that is
 * {@link RetryDecider}'s job, back on the stream thread.
 *
 * <p>An {@link AsyncEventHandler} is called directly and holds no thread while it waits. A
 * synchronous {@link EventHandler} runs on a bounded pool (as many workers as the task may have
 * calls in flight, read at each call; idle ones retire): a call that outlives its timeout is
 * interrupted and abandoned, and a handler that ignores the interrupt keeps its worker busy, so
 * later calls queue (and time out) instead of growing threads without limit.
 */
final class AttemptExecutor implements AutoCloseable {

    /** What an attempt produced, with the error kind for the history. */
    record Result(Outcome outcome, String kind) {}

    /**
     * What the downstream's shared gate says around each call of an attempt. A permit is granted
     * on the stream thread, but the call may start up to a rate limit's wait later, and answers
     * arrive on other threads: a 429 that comes back meanwhile must hold the calls that have not
     * started yet, at once, not when the stream thread gets to the answer.
     */
    interface CallGuard {

        /** A guard that never holds a call and ignores answers. */
        CallGuard NONE = new CallGuard() {
            @Override
            public long holdMillis() {
                return 0;
            }

            @Override
            public void answered(Outcome outcome) {}
        };

        /** How much longer a call about to start must wait (a 429's pause); 0 to start now. */
        long holdMillis();

        /** A call came back with {@code outcome}; called on the thread that completed it. */
        void answered(Outcome outcome);
    }

    private static final Logger log = LoggerFactory.getLogger(AttemptExecutor.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final EventHandler handler;
    private final LadderMetrics metrics;
    private final IntSupplier threads;
    private final ThreadPoolExecutor pool;

    /**
     * @param threads the most synchronous handler calls that run at once (unused for an
     *     asynchronous handler)
     */
    public AttemptExecutor(EventHandler handler, LadderMetrics metrics, int threads) {
        this(handler, metrics, () -> threads);
    }

    /**
     * @param threads the most synchronous handler calls that run at once, read before each call:
     *     the task's share of its stream thread's {@code handler.concurrency}, which changes as
     *     tasks come and go. A {@link ThreadPoolExecutor} starts a new worker for every call until
     *     it has its core size, so a pool sized to the whole {@code handler.concurrency} gave
     *     every task that many threads (256 for 4 tasks at the default 64) for a share of it in
     *     flight
     */
    AttemptExecutor(EventHandler handler, LadderMetrics metrics, IntSupplier threads) {
        this.handler = handler;
        this.metrics = metrics;
        this.threads = threads;
        int size = Math.max(1, threads.getAsInt());
        this.pool = new ThreadPoolExecutor(size, size, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "ladder-handler-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        pool.allowCoreThreadTimeOut(true);
    }

    /**
     * Sets the pool's size to what {@link #threads} says now, if that changed. Synchronized: the
     * stream thread and an immediate retry's timer thread may both get here, and interleaved, a
     * growth and a shrink could set a core size above the maximum, which the pool refuses.
     */
    private synchronized void resize() {
        int size = Math.max(1, threads.getAsInt());
        if (size == pool.getMaximumPoolSize()) {
            return;
        }
        // the core size may never exceed the maximum: grow the maximum first, shrink it last
        if (size > pool.getMaximumPoolSize()) {
            pool.setMaximumPoolSize(size);
            pool.setCorePoolSize(size);
        } else {
            pool.setCorePoolSize(size);
            pool.setMaximumPoolSize(size);
        }
    }

    /** An executor for one call at a time (tests, tools). */
    public AttemptExecutor(EventHandler handler, LadderMetrics metrics) {
        this(handler, metrics, 1);
    }

    /**
     * Starts the attempt, immediate retries included; the stage completes (never exceptionally)
     * once the attempt has an outcome.
     *
     * @param policy the policy in force (immediate retries, pause, classifier)
     * @param timeout the longest one call may take
     * @param delayMillis how long to wait before the first call (a rate limit's wait)
     */
    public CompletableFuture<Result> start(Event event, RetryPolicy policy, Duration timeout, long delayMillis) {
        return start(event, policy, timeout, delayMillis, CallGuard.NONE);
    }

    /**
     * Starts the attempt as {@link #start(Event, RetryPolicy, Duration, long)} does, asking
     * {@code guard} before every call that did not start at once (after a rate limit's wait, and
     * before each immediate retry) and telling it every answer.
     */
    public CompletableFuture<Result> start(
            Event event, RetryPolicy policy, Duration timeout, long delayMillis, CallGuard guard) {
        CompletableFuture<Result> first = delayMillis > 0
                ? after(delayMillis, guard).thenCompose(ignored -> callOnce(event, policy, timeout, guard))
                : callOnce(event, policy, timeout, guard);
        return withImmediateRetries(first, event, policy, timeout, policy.immediateRetries(), guard);
    }

    /** Runs the attempt and waits for it: the synchronous form, for tests and tools. */
    public Result execute(Event event, RetryPolicy policy, Duration timeout) {
        return start(event, policy, timeout, 0).join();
    }

    /** Completes after {@code delayMillis}, then after whatever hold the guard asks for then. */
    private static CompletableFuture<Void> after(long delayMillis, CallGuard guard) {
        return CompletableFuture.runAsync(
                        () -> {}, CompletableFuture.delayedExecutor(delayMillis, TimeUnit.MILLISECONDS))
                .thenCompose(ignored -> {
                    long hold = guard.holdMillis();
                    return hold > 0 ? after(hold, guard) : CompletableFuture.completedFuture(null);
                });
    }

    private CompletableFuture<Result> withImmediateRetries(
            CompletableFuture<Result> attempt,
            Event event,
            RetryPolicy policy,
            Duration timeout,
            int left,
            CallGuard guard) {
        if (left <= 0) {
            return attempt;
        }
        return attempt.thenCompose(result -> {
            if (!(result.outcome() instanceof Outcome.Transient)) {
                return CompletableFuture.completedFuture(result);
            }
            // the pause, at least 1 ms, so that the guard is asked before the retry
            CompletableFuture<Result> next = after(
                            Math.max(1, policy.immediatePause().toMillis()), guard)
                    .thenCompose(ignored -> callOnce(event, policy, timeout, guard));
            return withImmediateRetries(next, event, policy, timeout, left - 1, guard);
        });
    }

    private CompletableFuture<Result> callOnce(Event event, RetryPolicy policy, Duration timeout, CallGuard guard) {
        long start = System.nanoTime();
        CompletableFuture<Outcome> call;
        Future<?> worker = null;
        if (handler instanceof AsyncEventHandler async) {
            call = startAsync(async, event);
        } else {
            call = new CompletableFuture<>();
            CompletableFuture<Outcome> target = call;
            try {
                resize();
                worker = pool.submit(() -> {
                    try {
                        target.complete(handler.handle(event));
                    } catch (Throwable t) {
                        target.completeExceptionally(t);
                    }
                });
            } catch (RejectedExecutionException e) {
                call.completeExceptionally(e);
            }
        }
        Future<?> running = worker;
        return call.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).handle((outcome, failure) -> {
            Result result = result(outcome, failure, policy, timeout);
            if ("TIMEOUT".equals(result.kind())) {
                // interrupt a synchronous handler, cancel an asynchronous one's stage
                if (running != null) {
                    running.cancel(true);
                }
                call.cancel(true);
            }
            metrics.handlerCall(tag(result), Duration.ofNanos(System.nanoTime() - start));
            try {
                guard.answered(result.outcome());
            } catch (RuntimeException e) {
                // the outcome itself still goes back to the stream thread and is recorded
                log.warn("The downstream gate failed to take a call's answer", e);
            }
            return result;
        });
    }

    /** The handler's stage; a handler that throws or returns null instead fails it. */
    private static CompletableFuture<Outcome> startAsync(AsyncEventHandler async, Event event) {
        try {
            CompletionStage<Outcome> stage = async.handleAsync(event);
            if (stage == null) {
                return CompletableFuture.completedFuture(null);
            }
            // a copy: cancelling ours on timeout must not be mistaken for the handler's own result
            return stage.toCompletableFuture().thenApply(o -> o);
        } catch (Throwable t) {
            return CompletableFuture.failedFuture(t);
        }
    }

    private Result result(Outcome outcome, Throwable failure, RetryPolicy policy, Duration timeout) {
        if (failure == null) {
            if (outcome == null) {
                return new Result(
                        Outcome.retry("handler " + handler.getClass().getName() + " returned null"), "TRANSIENT");
            }
            return new Result(outcome, kindOf(outcome));
        }
        Throwable cause = unwrap(failure);
        if (cause instanceof TimeoutException) {
            TimeoutException timeoutException = new TimeoutException("handler timed out after " + timeout);
            return new Result(
                    new Outcome.Transient(timeoutException.getMessage(), timeoutException, null, null), "TIMEOUT");
        }
        if (cause instanceof CancellationException || cause instanceof RejectedExecutionException) {
            return new Result(
                    new Outcome.Transient("the call was cancelled: " + cause.getMessage(), cause, null, null),
                    "TRANSIENT");
        }
        Outcome classified = policy.classifier().classify(cause);
        return new Result(classified, kindOf(classified));
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static String kindOf(Outcome outcome) {
        return outcome instanceof Outcome.Permanent ? "PERMANENT" : "TRANSIENT";
    }

    private static String tag(Result result) {
        if ("TIMEOUT".equals(result.kind())) {
            return "timeout";
        }
        Outcome o = result.outcome();
        if (o instanceof Outcome.Success) {
            return "success";
        }
        if (o instanceof Outcome.Drop) {
            return "drop";
        }
        return o instanceof Outcome.Permanent ? "permanent" : "transient";
    }

    /** The workers of synchronous calls, for tests. */
    ExecutorService pool() {
        return pool;
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
