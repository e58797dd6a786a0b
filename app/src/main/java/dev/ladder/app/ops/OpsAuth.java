package dev.ladder.app.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.ladder.config.AuthConfig;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Who is calling the ops port: the bearer token of a request, checked against the configured ones
 * in constant time, and whether a state-changing request comes from another site.
 *
 * <p>Tokens are compared as SHA-256 digests with {@link MessageDigest#isEqual}, against every
 * configured token without stopping at a match, so neither the time of a comparison nor its
 * length tells a caller how much of a guess was right.
 */
public final class OpsAuth {

    /** An authenticated caller: the token's name (for the audit log) and its role. */
    public record Caller(String name, AuthConfig.Role role) {

        /** True when this caller may change state (replay, release). */
        public boolean mayChange() {
            return role == AuthConfig.Role.OPERATOR;
        }
    }

    private record Known(String name, AuthConfig.Role role, byte[] digest) {}

    private static final String BEARER = "bearer ";
    private static final String CALLER = "dev.ladder.caller";

    private final List<Known> tokens;

    private OpsAuth(List<Known> tokens) {
        this.tokens = tokens;
    }

    /** The tokens of {@code server.auth}. */
    public static OpsAuth of(AuthConfig config) {
        return new OpsAuth(config.tokens().stream()
                .map(t -> new Known(t.name(), t.role(), digest(t.token())))
                .toList());
    }

    /** True when at least one token is configured; without one, every protected request is refused. */
    public boolean configured() {
        return !tokens.isEmpty();
    }

    /** The caller whose bearer token the request carries, if it carries a known one. */
    public Optional<Caller> caller(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null
                || header.length() <= BEARER.length()
                || !header.substring(0, BEARER.length())
                        .toLowerCase(Locale.ROOT)
                        .equals(BEARER)) {
            return Optional.empty();
        }
        byte[] presented = digest(header.substring(BEARER.length()).trim());
        Known match = null;
        for (Known known : tokens) {
            // no early exit: every token is compared, whatever matched
            if (MessageDigest.isEqual(known.digest(), presented) && match == null) {
                match = known;
            }
        }
        return match == null ? Optional.empty() : Optional.of(new Caller(match.name(), match.role()));
    }

    /**
     * Why a state-changing request looks cross-site, if it does. A browser that sends
     * {@code Sec-Fetch-Site} decides: only {@code same-origin} and {@code none} (typed by the user)
     * pass; a page cannot forge that header, and it stays right behind a proxy that rewrites
     * {@code Host}. Without it (older browsers), an {@code Origin} whose host and port are not the
     * {@code Host} the request was sent to is refused. Requests with neither header (the CLI, curl)
     * are not a browser's cross-site requests.
     */
    public static Optional<String> crossSite(HttpExchange exchange) {
        String site = exchange.getRequestHeaders().getFirst("Sec-Fetch-Site");
        if (site != null) {
            return site.equals("same-origin") || site.equals("none")
                    ? Optional.empty()
                    : Optional.of("Sec-Fetch-Site is " + site);
        }
        String origin = exchange.getRequestHeaders().getFirst("Origin");
        if (origin == null) {
            return Optional.empty();
        }
        String host = exchange.getRequestHeaders().getFirst("Host");
        String originHost = origin.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "");
        if (origin.equals("null") || host == null || !originHost.equalsIgnoreCase(host)) {
            return Optional.of("Origin " + origin + " is not this server");
        }
        return Optional.empty();
    }

    /**
     * The handler behind the checks every protected endpoint shares: a known bearer token (401
     * without, with a hint when none is configured), a role that may use the method (403: read
     * tokens may only GET), and no cross-site state change (403). The caller is then available to
     * the handler through {@link #callerOf}.
     */
    public HttpHandler guard(HttpHandler handler) {
        return exchange -> {
            Optional<Caller> caller = caller(exchange);
            if (caller.isEmpty()) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"ladder\"");
                JsonReply.send(
                        exchange,
                        401,
                        Map.of(
                                "error",
                                configured()
                                        ? "a valid 'Authorization: Bearer <token>' header is required"
                                        : "no token is configured: set server.auth.tokens (see docs/operations.md)"));
                return;
            }
            String method = exchange.getRequestMethod();
            boolean reads = method.equals("GET") || method.equals("HEAD");
            if (!reads) {
                Optional<String> crossSite = crossSite(exchange);
                if (crossSite.isPresent()) {
                    JsonReply.send(exchange, 403, Map.of("error", "cross-site request refused: " + crossSite.get()));
                    return;
                }
                if (!caller.get().mayChange()) {
                    JsonReply.send(
                            exchange,
                            403,
                            Map.of(
                                    "error",
                                    "token '" + caller.get().name() + "' is read-only; this needs an operator token"));
                    return;
                }
            }
            exchange.setAttribute(CALLER, caller.get());
            handler.handle(exchange);
        };
    }

    /** The caller {@link #guard} let through. */
    public static Caller callerOf(HttpExchange exchange) {
        Object caller = exchange.getAttribute(CALLER);
        if (caller instanceof Caller c) {
            return c;
        }
        throw new IllegalStateException("no authenticated caller: the route is not guarded");
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
