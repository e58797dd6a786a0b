package dev.ladder.topology.internals;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The delay queue on a real RocksDB store, outside a topology. */
class TimerQueueTest {

    static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    @TempDir
    Path stateDir;

    KeyValueStore<Bytes, byte[]> store;

    @BeforeEach
    void openStore() {
        store = open();
    }

    @AfterEach
    void closeStore() {
        if (store != null && store.isOpen()) {
            store.close();
        }
    }

    KeyValueStore<Bytes, byte[]> open() {
        return TestStores.keyValue(stateDir, "t");
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void shouldKeepTimersOfDifferentEventsDueAtTheSameTime() {
        // given
        TimerQueue queue = new TimerQueue(store);
        queue.schedule(T0, "event-a", bytes("a"));
        queue.schedule(T0, "event-b", bytes("b"));
        queue.schedule(T0, "event-c", bytes("c"));

        // when
        List<TimerQueue.Timer> due = queue.pollDue(T0, 100);

        // then
        assertThat(due)
                .extracting(TimerQueue.Timer::eventId)
                .containsExactlyInAnyOrder("event-a", "event-b", "event-c");
        assertThat(due)
                .extracting(t -> new String(t.envelope(), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrder("a", "b", "c");
        assertThat(queue.count()).isZero();
    }

    @Test
    void shouldKeepTakenTimersInTheStoreUntilACommitCoveredThem() {
        // given an at-least-once queue with two due timers
        TimerQueue queue = new TimerQueue(store, true);
        queue.schedule(T0, "event-a", bytes("a"));
        queue.schedule(T0 + 1, "event-b", bytes("b"));

        // when both are taken, and one is rescheduled by its outcome (a deferral at a later time)
        assertThat(queue.pollDue(T0 + 10, 100))
                .extracting(TimerQueue.Timer::eventId)
                .containsExactly("event-a", "event-b");
        queue.schedule(T0 + 5_000, "event-b", bytes("b2"));

        // then until the commit both stay in the store, and no scan returns them twice
        assertThat(queue.count()).isEqualTo(3);
        assertThat(queue.pollDue(T0 + 10, 100)).isEmpty();
        queue.release();
        assertThat(queue.count()).isEqualTo(3);

        // and once a commit has covered their outcomes they go; the rescheduled one stays
        queue.committing();
        queue.release();
        assertThat(queue.count()).isEqualTo(1);
        assertThat(queue.pollDue(T0 + 5_000, 100))
                .extracting(TimerQueue.Timer::eventId)
                .containsExactly("event-b");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void shouldPeekWithoutTakingAndTakeOnlyWhatIsChosen(boolean keep) {
        // given three due timers
        TimerQueue queue = new TimerQueue(store, keep);
        queue.schedule(T0 + 1, "a", bytes("A"));
        queue.schedule(T0 + 2, "b", bytes("B"));
        queue.schedule(T0 + 3, "c", bytes("C"));

        // when they are peeked, then nothing is taken
        assertThat(queue.peekDue(T0 + 10, 10))
                .extracting(TimerQueue.Timer::eventId)
                .containsExactly("a", "b", "c");
        assertThat(queue.peekDue(T0 + 10, 10)).hasSize(3);

        // when the middle one is taken, then the others are still due, and it is not again
        queue.take(queue.peekDue(T0 + 10, 10).get(1));
        assertThat(queue.peekDue(T0 + 10, 10))
                .extracting(TimerQueue.Timer::eventId)
                .containsExactly("a", "c");
        assertThat(queue.pollDue(T0 + 10, 10))
                .extracting(TimerQueue.Timer::eventId)
                .containsExactly("a", "c");

        // and a kept one leaves the store once a commit covered it
        queue.committing();
        queue.release();
        assertThat(queue.contains(T0 + 2, "b")).as("keep=%s", keep).isFalse();
    }

    @Test
    void shouldReturnDueTimersInDueOrderAndRespectMax() {
        // given timers scheduled out of order
        TimerQueue queue = new TimerQueue(store);
        List<Integer> order = new ArrayList<>(List.of(5, 1, 4, 2, 3));
        for (int i : order) {
            queue.schedule(T0 + i * 1_000L, "e" + i, bytes("v" + i));
        }

        // when
        List<TimerQueue.Timer> first = queue.pollDue(T0 + 10_000, 3);
        List<TimerQueue.Timer> rest = queue.pollDue(T0 + 10_000, 3);

        // then
        assertThat(first).extracting(TimerQueue.Timer::eventId).containsExactly("e1", "e2", "e3");
        assertThat(rest).extracting(TimerQueue.Timer::eventId).containsExactly("e4", "e5");
        assertThat(queue.pollDue(T0 + 10_000, 3)).isEmpty();
    }

    @Test
    void shouldReturnNothingBeforeItsDueTime() {
        // given
        TimerQueue queue = new TimerQueue(store);
        queue.schedule(T0 + 60_000, "e1", bytes("v"));

        // then
        assertThat(queue.pollDue(T0, 100)).isEmpty();
        assertThat(queue.pollDue(T0 + 59_999, 100)).isEmpty();
        assertThat(queue.pollDue(T0 + 60_000, 100))
                .extracting(TimerQueue.Timer::dueTime)
                .containsExactly(T0 + 60_000);
    }

    @Test
    void shouldNeverRescanFiredTimersOnceManyHaveFired() {
        // given 10,000 timers scheduled in random order and all fired
        TimerQueue queue = new TimerQueue(store);
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(11));
        for (int i : order) {
            queue.schedule(T0 + i * 10L, "e" + i, bytes("v"));
        }
        long lastDue = T0 + 9_999 * 10L;
        long now = T0;
        List<TimerQueue.Timer> fired = new ArrayList<>();
        while (fired.size() < 10_000) {
            now += 1_000;
            List<TimerQueue.Timer> batch;
            do {
                batch = queue.pollDue(now, 200);
                fired.addAll(batch);
            } while (batch.size() == 200);
        }
        assertThat(fired)
                .extracting(TimerQueue.Timer::dueTime)
                .isSorted()
                .hasSize(10_000)
                .doesNotHaveDuplicates();
        long visitedAfterFiring = queue.visited();

        // when the queue is polled again with nothing due
        List<TimerQueue.Timer> none = queue.pollDue(now + 1_000, 200);

        // then it visited nothing: the scan started past the fired timers, not at 0
        assertThat(none).isEmpty();
        assertThat(queue.visited()).isEqualTo(visitedAfterFiring);
        assertThat(visitedAfterFiring).isEqualTo(10_000);
        assertThat(queue.scanFrom()).isGreaterThan(lastDue);
    }

    @Test
    void shouldFindATimerScheduledBeforeTheScanPosition() {
        // given the queue has scanned up to now
        TimerQueue queue = new TimerQueue(store);
        queue.schedule(T0 + 1_000, "e1", bytes("v"));
        assertThat(queue.pollDue(T0 + 5_000, 100)).hasSize(1);
        assertThat(queue.scanFrom()).isGreaterThan(T0 + 1_000);

        // when a timer arrives that was due earlier (the clock went back, or a late tier record)
        queue.schedule(T0 + 2_000, "e2", bytes("v"));

        // then it is still found
        assertThat(queue.pollDue(T0 + 5_000, 100))
                .extracting(TimerQueue.Timer::eventId)
                .containsExactly("e2");
    }

    @Test
    void shouldFireTimersDueBeforeTheEpochAtOnceInsteadOfNever() {
        // given timers with negative due times (a crafted tier record), which as raw big-endian keys
        // would sort after every real one
        TimerQueue queue = new TimerQueue(store);
        queue.schedule(T0 + 1_000, "later", bytes("v"));
        queue.schedule(-1, "e1", bytes("v"));
        queue.schedule(Long.MIN_VALUE, "e2", bytes("v"));

        // when
        List<TimerQueue.Timer> due = queue.pollDue(T0, 100);

        // then both are overdue now, and the later one still waits
        assertThat(due).extracting(TimerQueue.Timer::eventId).containsExactlyInAnyOrder("e1", "e2");
        assertThat(due).extracting(TimerQueue.Timer::dueTime).containsOnly(0L);
        assertThat(queue.count()).isEqualTo(1);
        queue.cancel(T0 + 1_000, "later");
        assertThat(queue.count()).isZero();
    }

    @Test
    void shouldCancelATimerScheduledBeforeTheEpoch() {
        // given
        TimerQueue queue = new TimerQueue(store);
        queue.schedule(-5, "e1", bytes("v"));

        // when
        queue.cancel(-5, "e1");

        // then
        assertThat(queue.count()).isZero();
    }

    @Test
    void shouldCancelATimer() {
        // given
        TimerQueue queue = new TimerQueue(store);
        queue.schedule(T0, "e1", bytes("v"));
        queue.schedule(T0, "e2", bytes("v"));

        // when
        queue.cancel(T0, "e1");

        // then
        assertThat(queue.pollDue(T0, 100)).extracting(TimerQueue.Timer::eventId).containsExactly("e2");
    }

    @Test
    void shouldReDeriveTheScanPositionAndFirePendingTimersAfterARestart() {
        // given a queue that fired some timers and still holds others, then the store is closed
        TimerQueue before = new TimerQueue(store);
        for (int i = 1; i <= 5; i++) {
            before.schedule(T0 + i * 1_000L, "e" + i, bytes("v" + i));
        }
        assertThat(before.pollDue(T0 + 2_000, 100)).hasSize(2);
        store.flush();
        store.close();

        // when the store is reopened from the same directory and a new queue is made over it
        store = open();
        TimerQueue after = new TimerQueue(store);

        // then the scan starts at the first pending timer, and the pending ones fire in order
        assertThat(after.scanFrom()).isEqualTo(T0 + 3_000);
        assertThat(after.count()).isEqualTo(3);
        assertThat(after.pollDue(T0 + 2_999, 100)).isEmpty();
        assertThat(after.pollDue(T0 + 10_000, 100))
                .extracting(TimerQueue.Timer::eventId)
                .containsExactly("e3", "e4", "e5");
        assertThat(after.visited()).isEqualTo(3);
    }

    @Test
    void shouldStartAnEmptyQueueWithNothingToScan() {
        // given
        TimerQueue queue = new TimerQueue(store);

        // then
        assertThat(queue.pollDue(T0, 100)).isEmpty();
        assertThat(queue.visited()).isZero();
    }
}
