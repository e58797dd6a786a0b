package dev.ladder.config;

import dev.ladder.policy.LadderSettings.HistoryLimits;

/**
 * The {@code error-history:} section: bounds on the error history a record carries, so it never
 * outgrows the broker's record size limit.
 *
 * @param keepFirst error records kept from the start of the history, 0 or more; default 3
 * @param keepLast error records kept from the end of the history, at least 1; default 10
 * @param maxMessageChars longest error message kept, at least 16; default 1000
 * @param maxStackTraceChars longest stack trace kept, 0 or more; default 4000
 */
public record ErrorHistoryConfig(
        Integer keepFirst, Integer keepLast, Integer maxMessageChars, Integer maxStackTraceChars) {

    public ErrorHistoryConfig {
        HistoryLimits d = HistoryLimits.defaults();
        keepFirst = keepFirst == null ? d.keepFirst() : keepFirst;
        keepLast = keepLast == null ? d.keepLast() : keepLast;
        maxMessageChars = maxMessageChars == null ? d.maxMessageChars() : maxMessageChars;
        maxStackTraceChars = maxStackTraceChars == null ? d.maxStackTraceChars() : maxStackTraceChars;
    }

    HistoryLimits toLimits() {
        return new HistoryLimits(keepFirst, keepLast, maxMessageChars, maxStackTraceChars);
    }
}
