package dev.ladder.retry;

import dev.ladder.handler.Event;
import dev.ladder.handler.EventHandler;
import dev.ladder.handler.Outcome;
import dev.ladder.topology.LadderMetrics;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs one attempt: calls the handler with a timeout, repeats it for the policy's immediate
 * retries, and turns whatever happened (a returned outcome, an exception, a timeout) into an
 * {@link Outcome}. It decides nothing about the ladder; that is {@link RetryDecider}'s job.
 *
 * <p>The call runs on a worker thread so that a hung handler can be abandoned after the timeout.
 * A handler that ignores interruption keeps its thread; the pool makes a new one for the next
 * call rather than queueing behind it.
 */
public final class AttemptExecutor implements AutoCloseable {

    /** What an attempt produced, with the error kind for the history. */
    public record Result(Outcome outcome, String kind) {}

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final EventHandler handler;
    private final LadderMetrics metrics;
    private final ExecutorService pool;

    public AttemptExecutor(EventHandler handler, LadderMetrics metrics) {
        this.handler = handler;
        this.metrics = metrics;
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "ladder-handler-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Runs the attempt, immediate retries included.
     *
     * @param policy the policy in force (immediate retries, pause, classifier)
     * @param timeout the longest one call may take
     */
    public Result execute(Event event, RetryPolicy policy, Duration timeout) {
        Result result = callOnce(event, policy, timeout);
        for (int i = 0; i < policy.immediateRetries() && result.outcome() instanceof Outcome.Transient; i++) {
            pause(policy.immediatePause().toMillis());
            result = callOnce(event, policy, timeout);
        }
        return result;
    }

    private Result callOnce(Event event, RetryPolicy policy, Duration timeout) {
        long start = System.nanoTime();
        Result result = call(event, policy, timeout);
        metrics.handlerCall(tag(result), Duration.ofNanos(System.nanoTime() - start));
        return result;
    }

    private Result call(Event event, RetryPolicy policy, Duration timeout) {
        Future<Outcome> future = pool.submit(() -> handler.handle(event));
        try {
            Outcome outcome = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (outcome == null) {
                return new Result(
                        Outcome.retry("handler " + handler.getClass().getName() + " returned null"), "TRANSIENT");
            }
            return new Result(outcome, kindOf(outcome));
        } catch (TimeoutException e) {
            future.cancel(true);
            TimeoutException timeoutException = new TimeoutException("handler timed out after " + timeout);
            return new Result(
                    new Outcome.Transient(timeoutException.getMessage(), timeoutException, null, null), "TIMEOUT");
        } catch (ExecutionException e) {
            Outcome outcome = policy.classifier().classify(e.getCause() == null ? e : e.getCause());
            return new Result(outcome, kindOf(outcome));
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return new Result(
                    new Outcome.Transient("interrupted while waiting for the handler", e, null, null), "TRANSIENT");
        }
    }

    /**
     * Sleeps on the calling (stream) thread: the pause between immediate retries, and the short
     * rate-limit wait of {@link AttemptRunner}. An interrupt ends it early and stays set.
     */
    static void pause(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
