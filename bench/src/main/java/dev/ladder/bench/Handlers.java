package dev.ladder.bench;

import dev.ladder.handler.AsyncEventHandler;
import dev.ladder.handler.Event;
import dev.ladder.handler.EventHandler;
import dev.ladder.handler.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/** The handlers the scenarios run; public with no-arg constructors so {@code handler.class} can load them. */
public final class Handlers {

    private Handlers() {}

    /** Succeeds at once. */
    public static final class Noop implements EventHandler {
        @Override
        public Outcome handle(Event event) {
            return Outcome.success();
        }
    }

    /**
     * Succeeds at once through the asynchronous SPI: what a handler with nothing to wait for looks
     * like to the engine (no worker thread, no hand-off, no timeout armed).
     */
    public static final class AsyncNoop implements AsyncEventHandler {
        private static final CompletableFuture<Outcome> SUCCESS = CompletableFuture.completedFuture(Outcome.success());

        @Override
        public CompletionStage<Outcome> handleAsync(Event event) {
            return SUCCESS;
        }
    }

    /**
     * Fails transiently on chosen attempts, by event id, and notes the wall-clock time of every call:
     * events whose id hash falls in the first {@code failPercent} % fail attempt 1, half of them
     * fail attempt 2 as well (so both tiers are used).
     */
    public static final class Flaky implements EventHandler {
        private final int failPercent;
        /** event id + "#" + attempt → call time, epoch ms. */
        final Map<String, Long> calls = new ConcurrentHashMap<>();

        public Flaky() {
            this(10);
        }

        Flaky(int failPercent) {
            this.failPercent = failPercent;
        }

        @Override
        public Outcome handle(Event event) {
            calls.put(event.eventId() + "#" + event.attempt(), System.currentTimeMillis());
            int bucket = Math.floorMod(event.eventId().hashCode() * 31 + 7, 1000);
            boolean failsFirst = bucket < failPercent * 10;
            boolean failsSecond = bucket < failPercent * 5;
            if ((event.attempt() == 1 && failsFirst) || (event.attempt() == 2 && failsSecond)) {
                return Outcome.retry("injected");
            }
            return Outcome.success();
        }

        /** Attempts a given event id needs under this handler. */
        int attemptsOf(String id) {
            int bucket = Math.floorMod(id.hashCode() * 31 + 7, 1000);
            return bucket < failPercent * 5 ? 3 : bucket < failPercent * 10 ? 2 : 1;
        }
    }

    /**
     * For the recovery scenario's child JVM: events whose id starts with {@code hold-} fail
     * transiently (they sit in a long tier: the pending retries), every other one succeeds.
     */
    public static final class HoldSome implements EventHandler {
        @Override
        public Outcome handle(Event event) {
            return event.eventId().startsWith("hold-") ? Outcome.retry("held") : Outcome.success();
        }
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
