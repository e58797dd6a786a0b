package dev.ladder.handler;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * An {@link EventHandler} that does not hold a thread while its call is in flight: it starts the
 * work and returns a stage that completes with the outcome (or exceptionally, classified like a
 * thrown exception). Ladder calls {@link #handleAsync} from a Kafka Streams thread, so it must
 * return promptly: start the I/O and return, never wait on it.
 *
 * <p>Ladder applies the handler timeout to the stage (a stage not complete by then counts as a
 * timed-out, transient failure, and Ladder cancels it) and keeps up to {@code handler.concurrency}
 * stages in flight per stream thread, at most one per key under per-key ordering.
 */
public interface AsyncEventHandler extends EventHandler {

    /**
     * Starts one attempt of an event.
     *
     * @param event the event, its provenance and its error history so far
     * @return a stage completing with the outcome; never null
     */
    CompletionStage<Outcome> handleAsync(Event event);

    /** Runs one attempt and waits for it (for callers that want the synchronous form). */
    @Override
    default Outcome handle(Event event) throws Exception {
        try {
            return handleAsync(event).toCompletableFuture().get();
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
    }
}
