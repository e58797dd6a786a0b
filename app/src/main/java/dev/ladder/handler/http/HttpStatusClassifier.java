package dev.ladder.handler.http;

import dev.ladder.handler.Outcome;
import java.time.Instant;

/**
 * Turns an HTTP status into an {@link Outcome}, as a pure function.
 *
 * <p>408 (request timeout), 425 (too early), 429 (too many requests) and every 5xx are transient:
 * asking again later may work. Any other 4xx is permanent: the same request will be refused again.
 * 1xx and 3xx are permanent too, as "unexpected status": redirects are not followed, because
 * replaying a delivery to wherever a server points is a decision for the operator, not for us.
 */
public final class HttpStatusClassifier {

    /** What a status means for the delivery. */
    public enum Verdict {
        /** 2xx: delivered. */
        SUCCESS,
        /** 408, 425, 429, 5xx: retry later. */
        TRANSIENT,
        /** Other 4xx: dead-letter. */
        PERMANENT,
        /** 1xx, 3xx or out of range: dead-letter, flagged as unexpected. */
        UNEXPECTED
    }

    private HttpStatusClassifier() {}

    /** The verdict for one status code. */
    public static Verdict verdict(int status) {
        if (status >= 200 && status < 300) {
            return Verdict.SUCCESS;
        }
        if (status == 408 || status == 425 || status == 429 || (status >= 500 && status < 600)) {
            return Verdict.TRANSIENT;
        }
        if (status >= 400 && status < 500) {
            return Verdict.PERMANENT;
        }
        return Verdict.UNEXPECTED;
    }

    /**
     * The outcome of one response.
     *
     * @param status the response status
     * @param request what was called, e.g. {@code POST https://host/path} (no secrets in it)
     * @param snippet the start of the response body, already bounded and scrubbed; may be empty
     * @param notBefore the {@code Retry-After} instant, or null; only used for transient statuses
     */
    public static Outcome classify(int status, String request, String snippet, Instant notBefore) {
        Verdict verdict = verdict(status);
        if (verdict == Verdict.SUCCESS) {
            return Outcome.success();
        }
        String prefix = "HTTP " + status + " from " + request;
        if (verdict == Verdict.UNEXPECTED) {
            prefix = prefix + " (unexpected status)";
        }
        String message = snippet == null || snippet.isEmpty() ? prefix : prefix + ": " + snippet;
        if (verdict == Verdict.TRANSIENT) {
            return new Outcome.Transient(message, null, status, notBefore);
        }
        return new Outcome.Permanent(message, null, status);
    }
}
