package dev.ladder.app.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.ladder.app.ops.JsonReply;
import dev.ladder.app.ops.OpsServer;
import java.io.IOException;
import java.util.Map;

/**
 * The web console on the ops port: static pages under {@code /console/} and the JSON endpoints
 * behind them under {@code /api/} (bearer token required, see {@link dev.ladder.app.ops.OpsAuth}).
 * The pages also call the operator endpoints ({@code /events/}, {@code /keys/}) directly.
 *
 * <ul>
 *   <li>{@code GET /api/ladder}: tiers, breaker, rate limit, totals ({@link LadderView})
 *   <li>{@code GET /api/dead-letters[/{partition}/{offset}]}: the DLT ({@link DeadLetterApi})
 *   <li>{@code GET /api/replay/preview}, {@code POST /api/replay}, {@code GET /api/replay/{id}}:
 *       dry run, replay, progress ({@link ReplayApi})
 * </ul>
 */
public final class Console implements AutoCloseable {

    private final ReplayApi replay;

    private Console(ReplayApi replay) {
        this.replay = replay;
    }

    /** Adds the console's pages and endpoints to the ops server. */
    public static Console install(OpsServer ops, ConsoleContext context) {
        ReplayApi replay = new ReplayApi(context);
        ops.assets("/console", new ConsoleAssets());
        LadderView ladder = new LadderView(context);
        ops.route("/api/ladder", answering(ex -> {
            if (!ex.getRequestURI().getPath().equals("/api/ladder")) {
                JsonReply.send(ex, 404, Map.of("error", "not found"));
            } else if (get(ex)) {
                ladder.handle(ex);
            }
        }));
        DeadLetterApi deadLetters = new DeadLetterApi(context);
        ops.route("/api/dead-letters", answering(ex -> {
            if (get(ex)) {
                deadLetters.handle(ex);
            }
        }));
        ops.route("/api/replay", answering(replay::handle));
        return new Console(replay);
    }

    // A request that cannot be read is the caller's mistake (400); Ladder not ready yet is a 503.
    private static HttpHandler answering(HttpHandler handler) {
        return ex -> {
            try {
                handler.handle(ex);
            } catch (IllegalArgumentException e) {
                JsonReply.send(ex, 400, Map.of("error", e.getMessage()));
            } catch (ConsoleContext.NotReady e) {
                JsonReply.send(ex, 503, Map.of("error", e.getMessage()));
            }
        };
    }

    private static boolean get(HttpExchange ex) throws IOException {
        if (ex.getRequestMethod().equals("GET")) {
            return true;
        }
        ex.getResponseHeaders().set("Allow", "GET");
        JsonReply.send(ex, 405, Map.of("error", "method not allowed"));
        return false;
    }

    /** Stops a replay that is still running (its open transaction is aborted). */
    @Override
    public void close() {
        replay.close();
    }
}
