package dev.ladder.app;

import dev.ladder.config.HandlerConfig;
import dev.ladder.config.LadderConfig;
import dev.ladder.handler.EventHandler;
import dev.ladder.policy.LiveSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a changed configuration to a running Ladder, all or nothing: the retry policy, handler
 * timeout, error-history bounds, circuit breaker and rate limit through {@link LiveSettings}, and a
 * new handler (URL, headers) by swapping it. A change of anything that needs a restart (topics,
 * tiers added or removed, application id, Kafka properties, state dir, port, ordering mode, reload
 * interval) is never applied in part: by {@code reload-restart-required} the app stops so that it
 * restarts on the new file ({@code exit}), or keeps the running settings and reports the pending
 * restart ({@code log}). A new version that could not start is invalid and changes nothing.
 */
public final class ConfigReloader {

    private static final Logger log = LoggerFactory.getLogger(ConfigReloader.class);

    /** What a reload decided. */
    public enum Status {
        /** Applied without a restart (possibly nothing changed). */
        APPLIED,
        /** The new version cannot work; the running settings stay. */
        INVALID,
        /** Needs a restart, and {@code reload-restart-required: exit}: the app must stop now. */
        RESTART_NOW,
        /** Needs a restart, and {@code reload-restart-required: log}: the running settings stay. */
        RESTART_PENDING
    }

    /**
     * What a reload did.
     *
     * @param changes the applied changes, one line per setting (APPLIED only)
     * @param reason why it was not applied (otherwise null); names settings, never secret values
     */
    public record Result(Status status, List<String> changes, String reason) {

        /** True when the new version is in force. */
        public boolean applied() {
            return status == Status.APPLIED;
        }

        /** Why the new version is not in force, or null. */
        public String refusal() {
            return reason;
        }
    }

    private final LiveSettings live;
    private final SwappableHandler handler;
    private volatile LadderConfig current;
    private volatile String pendingRestart;

    /**
     * @param handler the running handler when it was built from the configuration (and so may be
     *     rebuilt from a new one), or null when the application supplied its own
     */
    ConfigReloader(LadderConfig initial, LiveSettings live, SwappableHandler handler) {
        this.current = initial;
        this.live = live;
        this.handler = handler;
    }

    /** The configuration in force. */
    LadderConfig current() {
        return current;
    }

    /** Why a restart is pending under {@code reload-restart-required: log}; cleared by an applied version. */
    Optional<String> pendingRestart() {
        return Optional.ofNullable(pendingRestart);
    }

    /** Applies {@code next}, or decides what a version that cannot apply live leads to. */
    synchronized Result apply(LadderConfig next) {
        LadderConfig old = current;
        List<String> restart = restartOnly(old, next);
        boolean callChanged = callChanged(old.handler(), next.handler());
        if (callChanged && handler == null) {
            // the application supplied its own handler: Ladder cannot rebuild it from the file
            restart.add("handler (supplied by the application)");
        }
        if (!restart.isEmpty()) {
            return restartRequired(next, "these settings need a restart: " + String.join("; ", restart));
        }
        // a handler built from the file is rebuilt on a new timeout too: its HTTP request timeout
        boolean handlerChanged = handler != null
                && (callChanged
                        || !Objects.equals(
                                old.handler().timeout(), next.handler().timeout()));
        EventHandler newHandler = null;
        List<String> changes;
        try {
            if (handlerChanged) {
                // build it first: a handler that cannot be made must not leave half a change behind
                newHandler = LadderApp.createHandler(next);
            }
            changes = new ArrayList<>(live.update(next.toSettings()));
        } catch (LiveSettings.RestartRequiredException e) {
            closeQuietly(newHandler);
            return restartRequired(next, e.getMessage());
        } catch (IllegalArgumentException e) { // ConfigException and every settings problem among them
            closeQuietly(newHandler);
            return invalid(next.redact(e.getMessage()));
        }
        if (old.reloadRestartRequired() != next.reloadRestartRequired()) {
            changes.add("reload-restart-required: " + name(old) + " -> " + name(next));
        }
        if (newHandler != null) {
            handler.swap(newHandler, next.handler().timeout().multipliedBy(2));
            changes.add("handler: " + old.redact(old.handler().toString()) + " -> "
                    + next.redact(next.handler().toString()));
        }
        current = next;
        pendingRestart = null;
        if (!changes.isEmpty()) {
            log.info("configuration reloaded without a restart: {}", String.join("; ", changes));
        }
        return new Result(Status.APPLIED, changes, null);
    }

    /** The settings read once at start that differ; keys only, because kafka may hold secrets. */
    private static List<String> restartOnly(LadderConfig old, LadderConfig next) {
        List<String> restart = new ArrayList<>();
        check(restart, "application-id", old.applicationId(), next.applicationId());
        check(restart, "bootstrap-servers", old.bootstrapServers(), next.bootstrapServers());
        check(restart, "state-dir", old.stateDir(), next.stateDir());
        check(restart, "processing-guarantee", old.processingGuarantee(), next.processingGuarantee());
        check(restart, "server.port", old.server().port(), next.server().port());
        check(restart, "server.auth", old.server().auth(), next.server().auth());
        check(restart, "reload-interval", old.reloadInterval(), next.reloadInterval());
        check(restart, "kafka", old.kafka(), next.kafka());
        check(restart, "topics", old.topics(), next.topics());
        check(restart, "handler.type", old.handler().type(), next.handler().type());
        return restart;
    }

    /**
     * A valid version that only a restart can apply. Before stopping for it, check what the next
     * start would check first, so that a file that cannot start never takes a running app down.
     */
    private Result restartRequired(LadderConfig next, String reason) {
        try {
            next.streamsProperties();
            if (handler != null && !next.handler().equals(current.handler())) {
                closeQuietly(LadderApp.createHandler(next));
            }
        } catch (IllegalArgumentException e) { // ConfigException and every settings problem among them
            return invalid("it could not start: " + next.redact(e.getMessage()));
        }
        if (next.reloadRestartRequired() == LadderConfig.RestartRequired.EXIT) {
            log.warn(
                    "configuration change needs a restart: stopping Ladder to restart it on the new file"
                            + " (exit code 3; reload-restart-required: exit). {}",
                    reason);
            return new Result(Status.RESTART_NOW, List.of(), reason);
        }
        pendingRestart = reason;
        log.warn(
                "configuration change needs a restart and is NOT applied, the running settings stay until"
                        + " the next restart (reload-restart-required: log). {}",
                reason);
        return new Result(Status.RESTART_PENDING, List.of(), reason);
    }

    private static String name(LadderConfig config) {
        return config.reloadRestartRequired().name().toLowerCase(Locale.ROOT);
    }

    private static Result invalid(String reason) {
        log.warn("configuration change refused as invalid, the running settings stay: {}", reason);
        return new Result(Status.INVALID, List.of(), "invalid: " + reason);
    }

    /** True when what the handler calls changed: URL, method, headers, class or its settings. */
    private static boolean callChanged(HandlerConfig a, HandlerConfig b) {
        return !Objects.equals(a.http(), b.http())
                || !Objects.equals(a.settings(), b.settings())
                || !Objects.equals(a.className(), b.className());
    }

    private static void check(List<String> restart, String key, Object before, Object after) {
        if (!Objects.equals(before, after)) {
            restart.add(key);
        }
    }

    private static void closeQuietly(EventHandler h) {
        if (h != null) {
            h.close();
        }
    }
}
