package dev.ladder.app.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.ladder.app.ops.JsonReply;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The console's static files (page, scripts, style) from the app's resources under
 * {@code /console/}. They hold no data and need no token; what they show comes from the guarded
 * JSON endpoints, called with the token the operator gives the page. Served with a strict content
 * security policy (own scripts only, no framing), so the page can neither run injected script nor
 * be clickjacked inside another site.
 */
final class ConsoleAssets implements HttpHandler {

    private static final String ROOT = "/console/";
    private static final Pattern SAFE = Pattern.compile("[a-z0-9-]+(/[a-z0-9-]+)?\\.(html|js|css|svg)");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml");
    private static final String POLICY =
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
                    + " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (!exchange.getRequestMethod().equals("GET")) {
            exchange.getResponseHeaders().set("Allow", "GET");
            JsonReply.send(exchange, 405, Map.of("error", "method not allowed"));
            return;
        }
        if (!path.equals("/console") && !path.startsWith(ROOT)) {
            JsonReply.send(exchange, 404, Map.of("error", "not found"));
            return;
        }
        if (path.equals("/console")) {
            exchange.getResponseHeaders().set("Location", ROOT);
            exchange.sendResponseHeaders(301, -1);
            return;
        }
        String name = path.length() <= ROOT.length() ? "index.html" : path.substring(ROOT.length());
        // a fixed shape of names: no "..", no encoded tricks, nothing outside the console folder
        if (!SAFE.matcher(name).matches()) {
            JsonReply.send(exchange, 404, Map.of("error", "not found"));
            return;
        }
        try (InputStream in = ConsoleAssets.class.getResourceAsStream("/console/" + name)) {
            if (in == null) {
                JsonReply.send(exchange, 404, Map.of("error", "not found"));
                return;
            }
            exchange.getResponseHeaders().set("Content-Security-Policy", POLICY);
            exchange.getResponseHeaders().set("X-Frame-Options", "DENY");
            exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
            JsonReply.sendRaw(exchange, 200, TYPES.get(name.substring(name.lastIndexOf('.') + 1)), in.readAllBytes());
        }
    }
}
