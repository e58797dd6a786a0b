package dev.ladder.app;

import dev.ladder.config.ConfigException;
import dev.ladder.config.HandlerConfig;
import dev.ladder.config.LadderConfig;
import dev.ladder.handler.EventHandler;
import dev.ladder.topology.LiveSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a changed configuration to a running Ladder, all or nothing: the retry policy, handler
 * timeout, error-history bounds, circuit breaker and rate limit through {@link LiveSettings}, and a
 * new handler (URL, headers) by swapping it. A change of anything that needs a restart (topics,
 * tiers added or removed, application id, Kafka properties, state dir, port, ordering mode) is
 * refused as a whole and the running settings stay.
 */
public final class ConfigReloader {

    private static final Logger log = LoggerFactory.getLogger(ConfigReloader.class);

    /** What a reload did. */
    public record Result(boolean applied, List<String> changes, String refusal) {}

    private final LiveSettings live;
    private final SwappableHandler handler;
    private volatile LadderConfig current;

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

    /** Applies {@code next}, or refuses it with the reason logged and returned. */
    synchronized Result apply(LadderConfig next) {
        List<String> restart = new ArrayList<>();
        LadderConfig old = current;
        check(restart, "application-id", old.applicationId(), next.applicationId());
        check(restart, "bootstrap-servers", old.bootstrapServers(), next.bootstrapServers());
        check(restart, "state-dir", old.stateDir(), next.stateDir());
        check(restart, "processing-guarantee", old.processingGuarantee(), next.processingGuarantee());
        check(restart, "server.port", old.server().port(), next.server().port());
        check(restart, "kafka", old.kafka(), next.kafka());
        check(restart, "topics", old.topics(), next.topics());
        check(restart, "handler.type", old.handler().type(), next.handler().type());
        boolean callChanged = callChanged(old.handler(), next.handler());
        if (callChanged && handler == null) {
            // the application supplied its own handler: Ladder cannot rebuild it from the file
            restart.add("handler (supplied by the application)");
        }
        // a handler built from the file is rebuilt on a new timeout too: its HTTP request timeout
        boolean handlerChanged = handler != null
                && (callChanged
                        || !Objects.equals(
                                old.handler().timeout(), next.handler().timeout()));
        if (!restart.isEmpty()) {
            return refuse("these settings need a restart: " + String.join("; ", restart));
        }
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
            return refuse(e.getMessage());
        } catch (ConfigException | IllegalArgumentException e) {
            closeQuietly(newHandler);
            return refuse("invalid: " + e.getMessage());
        }
        if (newHandler != null) {
            handler.swap(newHandler, next.handler().timeout().multipliedBy(2));
            changes.add("handler: " + old.handler() + " -> " + next.handler());
        }
        current = next;
        if (!changes.isEmpty()) {
            log.info("configuration reloaded without a restart: {}", String.join("; ", changes));
        }
        return new Result(true, changes, null);
    }

    /** True when what the handler calls changed: URL, method, headers, class or its settings. */
    private static boolean callChanged(HandlerConfig a, HandlerConfig b) {
        return !Objects.equals(a.http(), b.http())
                || !Objects.equals(a.settings(), b.settings())
                || !Objects.equals(a.className(), b.className());
    }

    private static Result refuse(String reason) {
        log.warn("configuration change refused, the running settings stay: {}", reason);
        return new Result(false, List.of(), reason);
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
