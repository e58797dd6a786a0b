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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A scriptable HTTP downstream on 127.0.0.1 and an ephemeral port for the gate ITs (breaker, 429,
 * rate limit): the script sees every arrival in order and answers a status and headers; every
 * arrival is logged with its server-side wall-clock time (epoch ms).
 */
final class Downstream implements AutoCloseable {

    /** An answer: status and response headers. */
    record Answer(int status, Map<String, String> headers) {
        static Answer of(int status) {
            return new Answer(status, Map.of());
        }
    }

    /** Decides the answer to one arrival; {@code number} is its 1-based position among all arrivals. */
    @FunctionalInterface
    interface Script {
        Answer answer(String eventId, int number, long epochMillis);
    }

    /** One call as received. */
    record Arrival(String eventId, int number, long epochMillis, int status) {}

    private final Script script;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final List<Arrival> arrivals = new ArrayList<>();

    Downstream(Script script) throws IOException {
        this.script = script;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hook", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    /** Every arrival so far, in arrival order. */
    synchronized List<Arrival> arrivals() {
        return List.copyOf(arrivals);
    }

    /** The arrivals of one event id, in order. */
    synchronized List<Arrival> arrivals(String eventId) {
        return arrivals.stream().filter(a -> a.eventId().equals(eventId)).toList();
    }

    /** Arrivals answered with {@code status} per event id. */
    synchronized Map<String, Long> countByStatus(int status) {
        return arrivals.stream()
                .filter(a -> a.status() == status)
                .collect(java.util.stream.Collectors.groupingBy(
                        Arrival::eventId, java.util.stream.Collectors.counting()));
    }

    /** Calls that arrived in [from, to). */
    synchronized long callsBetween(long from, long to) {
        return arrivals.stream()
                .filter(a -> a.epochMillis() >= from && a.epochMillis() < to)
                .count();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange;
                InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            String id = key == null ? "<none>" : key;
            Answer answer;
            synchronized (this) {
                long now = System.currentTimeMillis();
                int number = arrivals.size() + 1;
                answer = script.answer(id, number, now);
                arrivals.add(new Arrival(id, number, now, answer.status()));
            }
            answer.headers()
                    .forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
            byte[] body = ("status " + answer.status()).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status(), body.length);
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
