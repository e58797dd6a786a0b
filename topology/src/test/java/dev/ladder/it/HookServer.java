package dev.ladder.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The downstream of the integration tests: a real HTTP server on 127.0.0.1 and an ephemeral port
 * that answers each call with the status a {@link Script} decides from the event id (the
 * {@code Idempotency-Key} header) and how many times that id has arrived, and records every arrival
 * with its wall-clock time in epoch milliseconds (the clock Ladder's due times use).
 */
final class HookServer implements AutoCloseable {

    /** Decides the status of the {@code arrival}-th call (1-based) for {@code eventId}. */
    @FunctionalInterface
    interface Script {
        int status(String eventId, int arrival);
    }

    /** One call as received. */
    record Arrival(String eventId, int number, long epochMillis, String idempotencyKey, String body, int status) {}

    private final Script script;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final Map<String, List<Arrival>> arrivals = new ConcurrentHashMap<>();

    HookServer(Script script) throws IOException {
        this.script = script;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** The URL to configure as {@code handler.http.url}. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** Calls received for an event id, in arrival order. */
    List<Arrival> arrivals(String eventId) {
        List<Arrival> list = arrivals.get(eventId);
        if (list == null) {
            return List.of();
        }
        synchronized (list) {
            return List.copyOf(list);
        }
    }

    /** Every call received so far. */
    int total() {
        return arrivals.values().stream()
                .mapToInt(l -> {
                    synchronized (l) {
                        return l.size();
                    }
                })
                .sum();
    }

    private void handle(HttpExchange exchange) throws IOException {
        long now = System.currentTimeMillis();
        try (exchange;
                InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            String id = key == null ? "<none>" : key;
            List<Arrival> list = arrivals.computeIfAbsent(id, k -> new ArrayList<>());
            int status;
            synchronized (list) {
                int number = list.size() + 1;
                status = script.status(id, number);
                list.add(new Arrival(id, number, now, key, body, status));
            }
            byte[] response = ("status " + status).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, response.length);
            exchange.getResponseBody().write(response);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
