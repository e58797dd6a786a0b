package dev.ladder.downstream;

/** The gate's answer before a handler call. */
public sealed interface Permit {

    /**
     * Call now, after waiting {@code waitMillis} (a short rate-limit wait the caller sleeps).
     *
     * @param probe true when this is a half-open probe: a transient failure of a probe must not
     *     cost the event an attempt (the downstream is down, not the event)
     * @param waitMillis how long the caller sleeps before calling
     * @param previousFailureAt when the event failed before (epoch ms), {@link Long#MIN_VALUE} on its
     *     first attempt: a first attempt's answer is always evidence about the downstream, a retry
     *     failing again only when nobody was answered since its last failure
     */
    record Call(boolean probe, long waitMillis, long previousFailureAt) implements Permit {

        /** A call for an event's first attempt. */
        public static Call first(boolean probe, long waitMillis) {
            return new Call(probe, waitMillis, Long.MIN_VALUE);
        }

        /** True for an event's first attempt. */
        public boolean firstAttempt() {
            return previousFailureAt == Long.MIN_VALUE;
        }
    }

    /**
     * Do not call before {@code untilMillis} (epoch ms): the breaker is open, the downstream asked
     * for a pause (429 Retry-After), or the rate limit would make the caller wait too long. The
     * event must be kept, in order, without counting an attempt against it.
     *
     * @param reason "breaker-open", "throttled" or "rate-limited", for logs and metrics
     */
    record Defer(long untilMillis, String reason) implements Permit {}
}
