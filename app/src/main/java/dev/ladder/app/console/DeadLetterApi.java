package dev.ladder.app.console;

import com.sun.net.httpserver.HttpExchange;
import dev.ladder.app.dlt.DeadLetter;
import dev.ladder.app.dlt.DeadLetterPrinter;
import dev.ladder.app.dlt.DeadLetterScanner;
import dev.ladder.app.ops.JsonReply;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The dead-letter topic for the console, read like {@code ladder dlt list} and {@code dlt show}:
 *
 * <ul>
 *   <li>{@code GET /api/dead-letters?key=&since=&until=&exception=&httpStatus=&page=&size=}: one
 *       page of the dead letters that match (oldest first per partition), and whether there are more.
 *       Each page reads the topic from its start up to that page: fine for the sizes a person pages
 *       through; use the CLI to export a large topic.
 *   <li>{@code GET /api/dead-letters/{partition}/{offset}}: one dead letter in full: error history,
 *       original headers, and the value as text (when it is UTF-8) and as hex.
 * </ul>
 */
final class DeadLetterApi {

    static final int MAX_PAGE_SIZE = 200;
    /** Values longer than this are shown cut (the full value stays in the topic). */
    static final int MAX_HEX_BYTES = 64 * 1024;

    private final ConsoleContext context;

    DeadLetterApi(ConsoleContext context) {
        this.context = context;
    }

    void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String rest = path.substring("/api/dead-letters".length());
        if (rest.isEmpty() || rest.equals("/")) {
            list(ex);
            return;
        }
        String[] parts = rest.substring(1).split("/");
        if (parts.length != 2 || !parts[0].matches("\\d{1,9}") || !parts[1].matches("\\d{1,18}")) {
            JsonReply.send(ex, 404, Map.of("error", "not found: use /api/dead-letters/{partition}/{offset}"));
            return;
        }
        one(ex, Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
    }

    private void list(HttpExchange ex) throws IOException {
        Map<String, String> params = HttpQuery.parse(ex.getRequestURI().getRawQuery());
        DeadLetterQuery query = DeadLetterQuery.of(params, Instant.now());
        int page = HttpQuery.intParam(params, "page", 0, 0, 100_000);
        int size = HttpQuery.intParam(params, "size", 25, 1, MAX_PAGE_SIZE);
        long skip = (long) page * size;
        List<Map<String, Object>> items = new ArrayList<>();
        long[] matched = {0};
        boolean[] more = {false};
        try (DeadLetterScanner scanner = DeadLetterQuery.scanner(
                context.requireProps(), context.settings().get(), context.envelopeSerde(), "list")) {
            scanner.scan(d -> {
                if (!query.matches().test(d)) {
                    return true;
                }
                if (matched[0]++ < skip) {
                    return true;
                }
                if (items.size() == size) {
                    more[0] = true;
                    return false;
                }
                items.add(row(d));
                return true;
            });
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("topic", context.settings().get().topics().deadLetter());
        body.put("page", page);
        body.put("size", size);
        body.put("items", items);
        body.put("more", more[0]);
        JsonReply.send(ex, 200, body);
    }

    private void one(HttpExchange ex, int partition, long offset) throws IOException {
        Optional<DeadLetter> found;
        try (DeadLetterScanner scanner = DeadLetterQuery.scanner(
                context.requireProps(), context.settings().get(), context.envelopeSerde(), "show")) {
            found = scanner.at(partition, offset);
        }
        if (found.isEmpty()) {
            JsonReply.send(ex, 404, Map.of("error", "no dead letter at " + partition + "@" + offset));
            return;
        }
        DeadLetter d = found.get();
        Map<String, Object> body = row(d);
        body.putAll(DeadLetterPrinter.view(d, true));
        byte[] value = d.value();
        body.put("valueText", value == null ? null : DeadLetter.utf8(value).orElse(null));
        body.put(
                "valueHex",
                value == null ? null : HexFormat.of().formatHex(value, 0, Math.min(value.length, MAX_HEX_BYTES)));
        body.put("valueBytes", value == null ? null : value.length);
        JsonReply.send(ex, 200, body);
    }

    private static Map<String, Object> row(DeadLetter d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("partition", d.dltPartition());
        m.put("offset", d.dltOffset());
        m.put("ref", d.coordinates());
        m.putAll(DeadLetterPrinter.view(d, false));
        return m;
    }
}
