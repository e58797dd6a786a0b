package dev.ladder.app.dlt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ladder.app.dlt.DeadLetter.ErrorEntry;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;

/**
 * Prints dead letters as JSON lines (one object a line, for {@code jq}) or as a table for people.
 * The summary has the key, event id, original coordinates, attempts, time spent in retry and the
 * reason; the detail (for {@code show}) adds the value, the original headers and the error history.
 */
public final class DeadLetterPrinter {

    /** Output styles. */
    public enum Style {
        JSON,
        TABLE
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ROW = "%-9s %-8s %-20s %-36s %-28s %8s %10s  %s%n";

    private final PrintWriter out;
    private final Style style;
    private final boolean detail;
    private boolean headerDone;

    public DeadLetterPrinter(PrintWriter out, Style style, boolean detail) {
        this.out = out;
        this.style = style;
        this.detail = detail;
    }

    /** Prints one dead letter. */
    public void print(DeadLetter d) {
        if (style == Style.JSON) {
            out.println(json(view(d, detail)));
        } else {
            table(d);
        }
        out.flush();
    }

    /** The fields of a dead letter as JSON-ready values, in a stable order. */
    public static Map<String, Object> view(DeadLetter d, boolean detail) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dlt", d.dltTopic() + "-" + d.coordinates());
        m.put("format", d.format().name().toLowerCase(java.util.Locale.ROOT));
        m.put("key", d.keyText());
        m.put("eventId", d.eventId());
        m.put("originalTopic", d.originalTopic());
        m.put("originalPartition", d.originalPartition());
        m.put("originalOffset", d.originalOffset());
        m.put("attempts", d.attempts());
        m.put("deadLetterTime", d.time().toString());
        m.put("timeInRetry", d.retryTime().map(Object::toString).orElse(null));
        m.put("reason", d.reason());
        m.put("exception", d.exceptionClass());
        m.put("httpStatus", d.httpStatus());
        if (d.internal() != null) {
            m.put("internal", d.internal()); // Ladder's own record: a replay skips it
        }
        if (detail) {
            m.put("value", DeadLetter.text(d.value()));
            Map<String, String> headers = new LinkedHashMap<>();
            for (Header h : d.headers()) {
                headers.put(h.key(), DeadLetter.text(h.value()));
            }
            m.put("headers", headers);
            List<Map<String, Object>> errors = new ArrayList<>();
            for (ErrorEntry e : d.errors()) {
                Map<String, Object> em = new LinkedHashMap<>();
                em.put("time", Instant.ofEpochMilli(e.timestamp()).toString());
                em.put("topic", e.topic());
                em.put("tier", e.tier());
                em.put("attempt", e.attempt());
                em.put("kind", e.kind());
                em.put("exception", e.exceptionClass());
                em.put("message", e.message());
                em.put("httpStatus", e.httpStatus());
                em.put("stackTrace", e.stackTrace());
                errors.add(em);
            }
            m.put("errors", errors);
            m.put("errorsElided", d.errorsElided());
        }
        return m;
    }

    /** One object as a JSON line. */
    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void table(DeadLetter d) {
        if (!headerDone) {
            out.printf(ROW, "DLT", "FORMAT", "KEY", "EVENT ID", "ORIGINAL", "ATTEMPTS", "IN RETRY", "REASON");
            headerDone = true;
        }
        String original = d.originalTopic() == null
                ? "-"
                : d.originalTopic() + "-" + d.originalPartition() + "@" + d.originalOffset();
        out.printf(
                ROW,
                d.coordinates(),
                d.format().name().toLowerCase(java.util.Locale.ROOT),
                cut(d.keyText(), 20),
                cut(d.eventId(), 36),
                cut(original, 28),
                d.attempts() == null ? "-" : d.attempts(),
                d.retryTime()
                        .map(t -> dev.ladder.text.Durations.format(t.withNanos(0)))
                        .orElse("-"),
                cut(d.reason(), 80));
        if (detail) {
            out.println("  value:   " + DeadLetter.text(d.value()));
            for (Header h : d.headers()) {
                out.println("  header:  " + h.key() + "=" + DeadLetter.text(h.value()));
            }
            for (ErrorEntry e : d.errors()) {
                out.printf(
                        "  error:   %s tier %d attempt %d %s %s%s: %s%n",
                        Instant.ofEpochMilli(e.timestamp()),
                        e.tier(),
                        e.attempt(),
                        e.kind(),
                        e.httpStatus() == null ? "" : "HTTP " + e.httpStatus() + " ",
                        e.exceptionClass(),
                        e.message());
            }
            if (d.errorsElided() > 0) {
                out.println("  (" + d.errorsElided() + " errors elided from the middle of the history)");
            }
        }
    }

    private static String cut(String s, int max) {
        if (s == null) {
            return "-";
        }
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
