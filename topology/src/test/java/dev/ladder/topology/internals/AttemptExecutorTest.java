package dev.ladder.topology.internals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.handler.Event;
import dev.ladder.handler.EventHandler;
import dev.ladder.handler.NonRetryableException;
import dev.ladder.handler.Outcome;
import dev.ladder.kernel.LadderMetrics;
import dev.ladder.policy.RetryPolicy;
import dev.ladder.policy.Tier;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One attempt: the handler call, its timeout, its immediate retries and what it all means. */
class AttemptExecutorTest {

    static final Duration TIMEOUT = Duration.ofMillis(200);
    static final Event EVENT =
            new Event("e1", "k".getBytes(), "v".getBytes(), new RecordHeaders(), "orders", 0, 0L, 0L, 1, 0, List.of());

    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger calls = new AtomicInteger();
    final List<AttemptExecutor> executors = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        release.countDown();
        executors.forEach(AttemptExecutor::close);
    }

    /** An executor with the policy and timeout of the test, as the processor passes them per call. */
    record Bound(AttemptExecutor executor, RetryPolicy policy) {
        AttemptExecutor.Result execute(Event event) {
            return executor.execute(event, policy, TIMEOUT);
        }
    }

    Bound executor(EventHandler handler, RetryPolicy policy) {
        AttemptExecutor executor = new AttemptExecutor(handler, LadderMetrics.noop());
        executors.add(executor);
        return new Bound(executor, policy);
    }

    Bound executor(EventHandler handler) {
        return executor(handler, RetryPolicy.of(Tier.of(Duration.ofMinutes(1), 1)));
    }

    /** A handler that returns the given outcomes in turn, counting calls. */
    EventHandler scripted(Outcome... outcomes) {
        Deque<Outcome> queue = new ArrayDeque<>(List.of(outcomes));
        return event -> {
            calls.incrementAndGet();
            return queue.size() > 1 ? queue.poll() : queue.peek();
        };
    }

    @Test
    void shouldNotGrowThreadsForAHandlerThatIgnoresInterrupts() {
        // given a synchronous handler that never returns and swallows interrupts, two workers
        EventHandler stubborn = event -> {
            calls.incrementAndGet();
            while (true) {
                try {
                    release.await();
                    return Outcome.success();
                } catch (InterruptedException ignored) {
                    // ignores the interrupt on purpose
                }
            }
        };
        AttemptExecutor executor = new AttemptExecutor(stubborn, LadderMetrics.noop(), 2);
        executors.add(executor);
        RetryPolicy policy = RetryPolicy.of(Tier.of(Duration.ofMinutes(1), 1));

        // when twenty calls are started and time out
        List<java.util.concurrent.CompletableFuture<AttemptExecutor.Result>> results = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            results.add(executor.start(EVENT, policy, Duration.ofMillis(50), 0));
        }

        // then every call ends as a timeout, and the pool never had more than its two workers
        assertThat(results).allSatisfy(r -> assertThat(r.join().kind()).isEqualTo("TIMEOUT"));
        assertThat(executor.pool())
                .isInstanceOfSatisfying(
                        java.util.concurrent.ThreadPoolExecutor.class,
                        pool -> assertThat(pool.getLargestPoolSize()).isEqualTo(2));
        assertThat(calls.get()).isLessThanOrEqualTo(2);
    }

    @Test
    void shouldSizeItsPoolToTheTasksShareReadAtEachCall() throws Exception {
        // given a synchronous handler that holds every call until released, and a task's share of 2
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch twoStarted = new CountDownLatch(2);
        CountDownLatch fourStarted = new CountDownLatch(4);
        EventHandler held = event -> {
            twoStarted.countDown();
            fourStarted.countDown();
            release.await();
            return Outcome.success();
        };
        AtomicInteger share = new AtomicInteger(2);
        AttemptExecutor executor = new AttemptExecutor(held, LadderMetrics.noop(), share::get);
        executors.add(executor);
        RetryPolicy policy = RetryPolicy.of(Tier.of(Duration.ofMinutes(1), 1));
        java.util.concurrent.ThreadPoolExecutor pool = (java.util.concurrent.ThreadPoolExecutor) executor.pool();

        // when five calls start: two run, three wait, and the pool has only two workers
        List<java.util.concurrent.CompletableFuture<AttemptExecutor.Result>> results = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            results.add(executor.start(EVENT, policy, Duration.ofMinutes(1), 0));
        }
        assertThat(twoStarted.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(pool.getLargestPoolSize()).isEqualTo(2);
        assertThat(pool.getQueue()).hasSize(3);

        // and the share grows to 4 (a task of the thread closed) before the next call
        share.set(4);
        results.add(executor.start(EVENT, policy, Duration.ofMinutes(1), 0));

        // then two more workers take waiting calls, and no more than four ever run
        assertThat(fourStarted.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(pool.getMaximumPoolSize()).isEqualTo(4);
        release.countDown();
        assertThat(results).allSatisfy(r -> assertThat(r.join().outcome()).isEqualTo(Outcome.success()));
        assertThat(pool.getLargestPoolSize()).isEqualTo(4);

        // and a smaller share shrinks the pool at the next call
        share.set(1);
        assertThat(executor.start(EVENT, policy, Duration.ofMinutes(1), 0)
                        .join()
                        .outcome())
                .isEqualTo(Outcome.success());
        assertThat(pool.getMaximumPoolSize()).isEqualTo(1);
    }

    @Test
    void shouldAskTheGuardBeforeADelayedCallAndTellItEveryAnswer() {
        // given a guard that holds the first call 300 ms more once (a 429 came back meanwhile)
        List<Long> startedAt = new ArrayList<>();
        EventHandler handler = event -> {
            startedAt.add(System.nanoTime());
            return calls.incrementAndGet() == 1 ? Outcome.retry("busy") : Outcome.success();
        };
        AtomicInteger asked = new AtomicInteger();
        List<Outcome> answers = new java.util.concurrent.CopyOnWriteArrayList<>();
        AttemptExecutor.CallGuard guard = new AttemptExecutor.CallGuard() {
            @Override
            public long holdMillis() {
                return asked.incrementAndGet() == 1 ? 300 : 0;
            }

            @Override
            public void answered(Outcome outcome) {
                answers.add(outcome);
            }
        };
        AttemptExecutor executor = new AttemptExecutor(handler, LadderMetrics.noop());
        executors.add(executor);
        RetryPolicy policy = RetryPolicy.of(Tier.of(Duration.ofMinutes(1), 1)).withImmediateRetries(1, Duration.ZERO);

        // when an attempt with a 10 ms rate-limit wait and one immediate retry runs
        long before = System.nanoTime();
        AttemptExecutor.Result result =
                executor.start(EVENT, policy, Duration.ofSeconds(5), 10, guard).join();

        // then the first call started only after the hold, the guard was asked again before the
        // immediate retry, and it heard both answers
        assertThat(result.outcome()).isEqualTo(Outcome.success());
        assertThat(Duration.ofNanos(startedAt.get(0) - before)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(asked.get()).isEqualTo(3);
        assertThat(answers).hasSize(2).last().isEqualTo(Outcome.success());
    }

    @Test
    void shouldPassEachReturnedOutcomeThrough() {
        // given
        Outcome.Transient busy = Outcome.retry("busy");
        Outcome.Permanent bad = Outcome.fail("bad");
        Outcome drop = Outcome.drop("not ours");

        // then
        assertThat(executor(scripted(Outcome.success())).execute(EVENT))
                .isEqualTo(new AttemptExecutor.Result(Outcome.success(), "TRANSIENT"));
        assertThat(executor(scripted(busy)).execute(EVENT)).isEqualTo(new AttemptExecutor.Result(busy, "TRANSIENT"));
        assertThat(executor(scripted(bad)).execute(EVENT)).isEqualTo(new AttemptExecutor.Result(bad, "PERMANENT"));
        assertThat(executor(scripted(drop)).execute(EVENT).outcome()).isEqualTo(drop);
    }

    @Test
    void shouldClassifyAThrownException() {
        // when
        AttemptExecutor.Result permanent = executor(event -> {
                    throw new NonRetryableException("malformed");
                })
                .execute(EVENT);
        AttemptExecutor.Result transientFailure = executor(event -> {
                    throw new IllegalStateException("partner down");
                })
                .execute(EVENT);

        // then the handler's own exception is classified, not the executor's wrapper
        assertThat(permanent.outcome()).isInstanceOf(Outcome.Permanent.class);
        assertThat(permanent.kind()).isEqualTo("PERMANENT");
        assertThat(transientFailure.outcome()).isInstanceOf(Outcome.Transient.class);
        assertThat(((Outcome.Transient) transientFailure.outcome()).cause()).isInstanceOf(IllegalStateException.class);
        assertThat(((Outcome.Transient) transientFailure.outcome()).message()).isEqualTo("partner down");
    }

    @Test
    void shouldTurnAHandlerSlowerThanTheTimeoutIntoATransientTimeout() {
        // given a handler that blocks until the test releases it
        EventHandler slow = event -> {
            release.await();
            return Outcome.success();
        };

        // when
        long start = System.nanoTime();
        AttemptExecutor.Result result = executor(slow).execute(EVENT);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        // then
        assertThat(result.kind()).isEqualTo("TIMEOUT");
        assertThat(result.outcome()).isInstanceOf(Outcome.Transient.class);
        assertThat(((Outcome.Transient) result.outcome()).message()).contains("timed out after PT0.2S");
        assertThat(took).isGreaterThanOrEqualTo(TIMEOUT).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void shouldRetryImmediatelyInsideOneAttempt() {
        // given a handler that fails twice, then succeeds, and two immediate retries
        EventHandler handler = scripted(Outcome.retry("glitch"), Outcome.retry("glitch"), Outcome.success());
        RetryPolicy policy =
                RetryPolicy.of(Tier.of(Duration.ofMinutes(1), 1)).withImmediateRetries(2, Duration.ofMillis(1));

        // when
        AttemptExecutor.Result result = executor(handler, policy).execute(EVENT);

        // then
        assertThat(result.outcome()).isEqualTo(Outcome.success());
        assertThat(calls).hasValue(3);
    }

    @Test
    void shouldStopImmediateRetriesWhenTheyAreUsedUp() {
        // given a handler that always fails, and two immediate retries
        RetryPolicy policy = RetryPolicy.of(Tier.of(Duration.ofMinutes(1), 1)).withImmediateRetries(2, Duration.ZERO);

        // when
        AttemptExecutor.Result result =
                executor(scripted(Outcome.retry("down")), policy).execute(EVENT);

        // then
        assertThat(result.outcome()).isInstanceOf(Outcome.Transient.class);
        assertThat(calls).hasValue(3);
    }

    @Test
    void shouldNotRetryAPermanentFailureImmediately() {
        // given
        RetryPolicy policy = RetryPolicy.of(Tier.of(Duration.ofMinutes(1), 1)).withImmediateRetries(3, Duration.ZERO);

        // when
        AttemptExecutor.Result result = executor(scripted(Outcome.fail("bad"), Outcome.success()), policy)
                .execute(EVENT);

        // then
        assertThat(result.outcome()).isInstanceOf(Outcome.Permanent.class);
        assertThat(calls).hasValue(1);
    }

    @Test
    void shouldTreatANullOutcomeAsTransient() {
        // when
        AttemptExecutor.Result result = executor(event -> null).execute(EVENT);

        // then
        assertThat(result.outcome()).isInstanceOf(Outcome.Transient.class);
        assertThat(((Outcome.Transient) result.outcome()).message()).contains("returned null");
        assertThat(result.kind()).isEqualTo("TRANSIENT");
    }
}
