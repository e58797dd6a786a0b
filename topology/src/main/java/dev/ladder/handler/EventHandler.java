package dev.ladder.handler;

import java.util.Map;

/**
 * The processing step Ladder retries: deliver one event somewhere, and say how it went.
 *
 * <p>Ladder calls {@link #handle} once per attempt, from a Kafka Streams thread, with a timeout
 * around the call. An implementation either returns an {@link Outcome} or throws; a thrown
 * exception is classified by the policy's {@link ExceptionClassifier} into a transient (retry) or
 * permanent (dead-letter) failure.
 *
 * <p>The side effect of a handler is at-least-once: a crash between the call and the commit of
 * its result repeats the call. {@link Event#eventId()} is stable across attempts so the receiver
 * can de-duplicate (the HTTP handler sends it as {@code Idempotency-Key}).
 *
 * <p>Implementations must be thread-safe when one instance is shared by several stream threads;
 * Ladder never calls one instance concurrently for the same key.
 */
public interface EventHandler extends AutoCloseable {

    /**
     * Processes one attempt of an event.
     *
     * @param event the event, its provenance and its error history so far
     * @return the outcome; never null
     * @throws Exception any failure, classified by the policy
     */
    Outcome handle(Event event) throws Exception;

    /** Receives the handler's own settings once, before the first call. */
    default void configure(Map<String, ?> settings) {}

    /** Releases resources; called when the topology closes. */
    @Override
    default void close() {}
}
