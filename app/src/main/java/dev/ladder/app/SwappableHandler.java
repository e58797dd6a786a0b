package dev.ladder.app;

import dev.ladder.handler.Event;
import dev.ladder.handler.EventHandler;
import dev.ladder.handler.Outcome;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A handler that can be replaced while the topology runs (a new URL or headers from a live
 * configuration change). Calls already under way finish on the old handler, which is closed after
 * a grace period.
 */
final class SwappableHandler implements EventHandler {

    private final AtomicReference<EventHandler> current;
    private final ScheduledExecutorService closer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ladder-handler-closer");
        t.setDaemon(true);
        return t;
    });

    SwappableHandler(EventHandler initial) {
        this.current = new AtomicReference<>(initial);
    }

    @Override
    public Outcome handle(Event event) throws Exception {
        return current.get().handle(event);
    }

    /** Makes {@code next} the handler of every later call; closes the old one after {@code grace}. */
    void swap(EventHandler next, Duration grace) {
        EventHandler old = current.getAndSet(next);
        closer.schedule(old::close, grace.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        closer.shutdownNow();
        current.get().close();
    }
}
