package dev.ladder.app.cli;

import dev.ladder.text.Durations;
import java.time.Duration;

/**
 * A command could not reach Kafka or a Ladder instance within its timeout. Its message is the one
 * line the operator sees: what was not reached, where, and for how long it was tried; the cause
 * (and its stack trace, with {@code --verbose}) keeps the details.
 */
final class Unreachable extends RuntimeException {

    Unreachable(String what, Duration timeout, Throwable cause) {
        super("could not reach " + what + " within " + Durations.format(timeout) + " (" + summary(cause) + ")", cause);
    }

    /** Kafka at the configured bootstrap servers. */
    static Unreachable kafka(String bootstrapServers, Duration timeout, Throwable cause) {
        return new Unreachable("Kafka at " + bootstrapServers, timeout, cause);
    }

    /** A Ladder instance's ops port. */
    static Unreachable instance(String url, Duration timeout, Throwable cause) {
        return new Unreachable("the Ladder instance at " + url, timeout, cause);
    }

    /**
     * Whether a Kafka client failed to reach the cluster: a call that timed out, bootstrap servers
     * that do not resolve (the client's constructor wraps that), a failed authentication.
     */
    static boolean isKafkaUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.apache.kafka.common.errors.TimeoutException
                    || t instanceof org.apache.kafka.common.errors.AuthenticationException
                    || (t instanceof org.apache.kafka.common.config.ConfigException
                            && String.valueOf(t.getMessage()).contains("bootstrap"))) {
                return true;
            }
        }
        return false;
    }

    /** The first line of the innermost message: the client's wrappers say little ("Failed to construct"). */
    private static String summary(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause().getMessage() != null) {
            root = root.getCause();
        }
        String message = root.getMessage();
        String text = message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
        return text.strip().lines().findFirst().orElse(text);
    }
}
