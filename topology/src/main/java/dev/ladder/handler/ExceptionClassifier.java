package dev.ladder.handler;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * Maps a thrown exception to a {@link Outcome.Transient} or {@link Outcome.Permanent} failure.
 *
 * <p>The exception and its causes are walked outermost first; for each, its class and every
 * superclass is compared by name with the two lists. The first match decides: a name on the
 * non-retryable list makes the failure permanent, a name on the retryable list makes it
 * transient; a name on both lists is retryable, so the retryable list overrides
 * {@link #DEFAULT_NON_RETRYABLE}. With no match, {@link #defaultRetryable()} decides. {@link NonRetryableException}
 * is always permanent and {@link RetryableException} always transient.
 *
 * <p>Names are compared as strings so a policy can name classes the application does not have on
 * its class path.
 *
 * @param nonRetryable class names that make a failure permanent
 * @param retryable class names that make a failure transient
 * @param defaultRetryable what an exception that matches neither list is
 */
public record ExceptionClassifier(Set<String> nonRetryable, Set<String> retryable, boolean defaultRetryable) {

    /** Exceptions that no retry can fix, in the spirit of Spring Kafka's fatal defaults. */
    public static final List<String> DEFAULT_NON_RETRYABLE = List.of(
            "java.lang.ClassCastException",
            "java.lang.NoSuchMethodException",
            "org.apache.kafka.common.errors.SerializationException",
            "org.apache.avro.AvroRuntimeException");

    public ExceptionClassifier {
        nonRetryable = Set.copyOf(new LinkedHashSet<>(nonRetryable));
        retryable = Set.copyOf(new LinkedHashSet<>(retryable));
    }

    /** The default classifier: everything is transient but the {@link #DEFAULT_NON_RETRYABLE}. */
    public static ExceptionClassifier defaults() {
        return new ExceptionClassifier(Set.copyOf(DEFAULT_NON_RETRYABLE), Set.of(), true);
    }

    /** Classifies a failure thrown by a handler. */
    public Outcome classify(Throwable failure) {
        String message = describe(failure);
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof NonRetryableException) {
                return new Outcome.Permanent(message, failure, null);
            }
            if (t instanceof RetryableException r) {
                return new Outcome.Transient(message, failure, null, r.notBefore());
            }
            if (t instanceof TimeoutException) {
                return new Outcome.Transient(message, failure, null, null);
            }
            for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
                // retryable first: the non-retryable list always carries the defaults, and a name
                // the user put on the retryable list must win over a default (e.g. ClassCastException)
                if (retryable.contains(c.getName())) {
                    return new Outcome.Transient(message, failure, null, null);
                }
                if (nonRetryable.contains(c.getName())) {
                    return new Outcome.Permanent(message, failure, null);
                }
            }
        }
        return defaultRetryable
                ? new Outcome.Transient(message, failure, null, null)
                : new Outcome.Permanent(message, failure, null);
    }

    private static String describe(Throwable failure) {
        return failure.getMessage() == null ? failure.getClass().getName() : failure.getMessage();
    }
}
