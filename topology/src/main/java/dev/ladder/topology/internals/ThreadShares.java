package dev.ladder.topology.internals;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Splits a per-stream-thread budget (calls in flight) evenly among the tasks the thread runs. Each
 * task waits only for its own calls, so a task can never be starved by another's slots; a thread
 * with more tasks than budget still gives each task one.
 */
final class ThreadShares {

    private final Map<Thread, AtomicInteger> tasks = new ConcurrentHashMap<>();

    /** Registers a task of the calling (stream) thread. */
    Share join() {
        Thread thread = Thread.currentThread();
        AtomicInteger count = tasks.computeIfAbsent(thread, t -> new AtomicInteger());
        count.incrementAndGet();
        return new Share(thread, count);
    }

    /** One task's share of its thread's budget. */
    final class Share implements AutoCloseable {
        private final Thread thread;
        private final AtomicInteger count;
        private boolean closed;

        private Share(Thread thread, AtomicInteger count) {
            this.thread = thread;
            this.count = count;
        }

        /** The tasks of the thread, this one included. */
        int tasks() {
            return Math.max(1, count.get());
        }

        /** This task's part of {@code budget}: at least one. */
        int of(int budget) {
            return Math.max(1, budget / Math.max(1, count.get()));
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                if (count.decrementAndGet() <= 0) {
                    tasks.remove(thread, count);
                }
            }
        }
    }
}
