package dev.ladder.app.ops;

import dev.ladder.kernel.LogSafe;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log: one line per state-changing operator action (who, what, how many) on the logger
 * {@value #LOGGER}, so that it can be routed, kept and alerted on apart from the rest.
 */
public final class Audit {

    /** The audit logger's name. */
    public static final String LOGGER = "dev.ladder.audit";

    private static final Logger log = LoggerFactory.getLogger(LOGGER);

    private Audit() {}

    /**
     * Logs one action.
     *
     * @param caller who did it
     * @param action what, e.g. {@code replay} or {@code release-key}
     * @param count how many records or keys it touched
     * @param detail what it was applied to (a filter, a key); made safe for one log line
     */
    public static void record(OpsAuth.Caller caller, String action, long count, String detail) {
        log.info(
                "who={} role={} action={} count={} detail={}",
                caller.name(),
                caller.role().name().toLowerCase(java.util.Locale.ROOT),
                action,
                count,
                LogSafe.text(detail));
    }
}
