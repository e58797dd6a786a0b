package dev.ladder.app.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.ladder.kernel.LogSafe;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Health and metrics on one HTTP port, for Kubernetes probes and Prometheus.
 *
 * <ul>
 *   <li>{@code GET /health/live}: 200 unless Streams is in ERROR (or PENDING_ERROR) or the app
 *       called {@link #markFailed}; then 503, so the pod is restarted.
 *   <li>{@code GET /health/ready}: 200 only while Streams is RUNNING; 503 otherwise (before start,
 *       while rebalancing, when stopped), so no traffic is routed to a node that cannot answer.
 *   <li>{@code GET /metrics}: the registry in Prometheus text format.
 * </ul>
 *
 * <p>Health bodies are JSON: {@code status}, {@code state} and the named {@code details}. Other
 * paths answer 404, other methods 405. Health and metrics need no credentials. More endpoints plug
 * in with {@link #route}: they need a bearer token ({@link OpsAuth#guard}) and run on their own
 * bounded pool, so an operator query that waits (on slow or dead peers, on a broker) never keeps a
 * probe or a scrape waiting: Kubernetes would restart a healthy pod for it. {@link #assets} serves
 * static files (the console's page and scripts, which hold no data) without credentials.
 */
public final class OpsServer implements AutoCloseable {

    /** Content type of the Prometheus text exposition format. */
    public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    private static final Logger log = LoggerFactory.getLogger(OpsServer.class);
    private static final int QUERY_THREADS = 4;
    private static final int QUERY_QUEUE = 16;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;
    private final ThreadPoolExecutor queries;
    private final PrometheusMeterRegistry registry;
    private final Supplier<KafkaStreams.State> state;
    private final Map<String, Supplier<?>> details;
    private final OpsAuth auth;
    private volatile String failure;

    /**
     * Binds and starts the server.
     *
     * @param host address to bind, e.g. {@code 0.0.0.0}
     * @param port port to bind; 0 picks a free one (see {@link #port()})
     * @param registry the registry served on {@code /metrics}
     * @param state the Streams state; may return null before Streams exists
     * @param details named extra health details (e.g. the circuit breaker), shown in health bodies
     * @param auth the tokens that {@link #route}d endpoints accept
     * @throws IOException when the address cannot be bound
     */
    public OpsServer(
            String host,
            int port,
            PrometheusMeterRegistry registry,
            Supplier<KafkaStreams.State> state,
            Map<String, Supplier<?>> details,
            OpsAuth auth)
            throws IOException {
        this.auth = Objects.requireNonNull(auth, "auth");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.state = Objects.requireNonNull(state, "state");
        this.details = details == null ? Map.of() : Map.copyOf(details);
        this.server = HttpServer.create(new InetSocketAddress(host, port), 0);
        AtomicInteger n = new AtomicInteger();
        // Two threads: a probe must not wait behind a slow scrape, and nothing here is heavy.
        this.executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "ladder-ops-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        AtomicInteger q = new AtomicInteger();
        this.queries = new ThreadPoolExecutor(
                QUERY_THREADS, QUERY_THREADS, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUERY_QUEUE), r -> {
                    Thread t = new Thread(r, "ladder-ops-query-" + q.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        queries.allowCoreThreadTimeOut(true);
        inline("/", exchange -> send(exchange, 404, "application/json", json(Map.of("error", "not found"))));
        get("/health/live", this::live);
        get("/health/ready", this::ready);
        get("/metrics", exchange -> send(exchange, 200, PROMETHEUS_TEXT, registry.scrape()));
        server.start();
    }

    /** The bound port (useful when 0 was asked for). */
    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * Serves every path under {@code prefix} with {@code handler}, which checks methods itself, to
     * callers with a token ({@link OpsAuth#guard}: 401 without one, 403 for a read token's POST or
     * a cross-site POST), on the operator query pool ({@value #QUERY_THREADS} threads, {@value #QUERY_QUEUE} waiting; beyond
     * that a 503 "busy"). A handler that throws gets a 500 and a log line instead of a hung
     * connection.
     */
    public void route(String prefix, HttpHandler handler) {
        HttpHandler guarded = auth.guard(handler);
        server.createContext(prefix, exchange -> {
            try {
                queries.execute(() -> serve(exchange, guarded));
            } catch (RejectedExecutionException e) {
                exchange.getResponseHeaders().set("Retry-After", "1");
                trySend(exchange, 503, "{\"error\":\"busy: too many operator queries at once; try again\"}");
                exchange.close();
            }
        });
    }

    /**
     * Serves static files under {@code prefix} without credentials, on the server's own threads:
     * they are small and hold no data (what they show comes from {@link #route}d endpoints).
     */
    public void assets(String prefix, HttpHandler handler) {
        inline(prefix, handler);
    }

    // Health, metrics and 404s: answered on the server's own threads, never queued behind a query.
    private void inline(String prefix, HttpHandler handler) {
        server.createContext(prefix, exchange -> serve(exchange, handler));
    }

    private static void serve(HttpExchange exchange, HttpHandler handler) {
        try {
            handler.handle(exchange);
        } catch (RuntimeException | IOException e) {
            log.warn(
                    "ops endpoint {} failed",
                    LogSafe.text(exchange.getRequestURI().getPath()),
                    e);
            trySend(exchange, 500, "{\"error\":\"internal error\"}");
        } finally {
            exchange.close();
        }
    }

    /** Marks the application failed: liveness reports DOWN from now on, with this reason. */
    public void markFailed(String reason) {
        this.failure = reason == null ? "failed" : reason;
    }

    // Exact path and GET only; the JDK server matches contexts by prefix.
    private void get(String path, HttpHandler handler) {
        inline(path, exchange -> {
            if (!exchange.getRequestURI().getPath().equals(path)) {
                send(exchange, 404, "application/json", json(Map.of("error", "not found")));
            } else if (!exchange.getRequestMethod().equals("GET")) {
                exchange.getResponseHeaders().set("Allow", "GET");
                send(exchange, 405, "application/json", json(Map.of("error", "method not allowed")));
            } else {
                handler.handle(exchange);
            }
        });
    }

    private void live(HttpExchange exchange) throws IOException {
        KafkaStreams.State s = state.get();
        boolean down = failure != null || s == KafkaStreams.State.ERROR || s == KafkaStreams.State.PENDING_ERROR;
        Map<String, Object> body = body(down ? "DOWN" : "UP", s);
        if (failure != null) {
            body.put("reason", failure);
        }
        send(exchange, down ? 503 : 200, "application/json", json(body));
    }

    private void ready(HttpExchange exchange) throws IOException {
        KafkaStreams.State s = state.get();
        boolean up = s == KafkaStreams.State.RUNNING && failure == null;
        send(exchange, up ? 200 : 503, "application/json", json(body(up ? "UP" : "DOWN", s)));
    }

    private Map<String, Object> body(String status, KafkaStreams.State s) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("state", s == null ? "NOT_STARTED" : s.name());
        if (!details.isEmpty()) {
            Map<String, Object> shown = new LinkedHashMap<>();
            details.forEach((name, supplier) -> shown.put(name, detail(supplier)));
            body.put("details", shown);
        }
        return body;
    }

    // A broken detail must not break the probe itself.
    private static Object detail(Supplier<?> supplier) {
        try {
            Object value = supplier.get();
            return value instanceof Enum<?> e ? e.name() : value;
        } catch (RuntimeException e) {
            return "unavailable: " + e.getMessage();
        }
    }

    private static String json(Object body) throws IOException {
        return JSON.writeValueAsString(body);
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        JsonReply.sendRaw(exchange, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void trySend(HttpExchange exchange, int status, String body) {
        try {
            send(exchange, status, "application/json", body);
        } catch (IOException | RuntimeException ignored) {
            // headers were already sent or the client went away; closing is all that is left
        }
    }

    /** Stops serving at once and releases the threads. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        queries.shutdownNow();
    }
}
