package dev.ladder.app.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The demo's downstream: a local HTTP endpoint that fails a share of calls, the way a partner API
 * does. The answer to a call depends only on (seed, event id, attempt), so a run can be repeated.
 *
 * <p>It keeps, per key, the sequence numbers of the events it accepted, in the order it accepted
 * them: the receiver's side of the per-key order check.
 */
final class FlakyEndpoint implements AutoCloseable {

    private static final Pattern KEY = Pattern.compile("\"key\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern SEQ = Pattern.compile("\"seq\"\\s*:\\s*(\\d+)");

    /** What the endpoint answers to one call. */
    enum Answer {
        OK(200),
        BUSY(503),
        BUSY_RETRY_AFTER(503),
        REJECTED(400);

        final int status;

        Answer(int status) {
            this.status = status;
        }
    }

    private final long seed;
    private final double failureRate;
    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "demo-endpoint");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, List<Long>> accepted = new LinkedHashMap<>();
    private final AtomicLong calls = new AtomicLong();

    FlakyEndpoint(long seed, double failureRate) throws IOException {
        this.seed = seed;
        this.failureRate = failureRate;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/deliver", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    /** Where Ladder's HTTP handler sends events. */
    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/deliver");
    }

    /**
     * The answer to attempt {@code attempt} of event {@code eventId}: a permanent 400 for a tenth of
     * the failure rate, a transient 503 (half of them with {@code Retry-After: 1}) for the rest of
     * it, else 200.
     */
    Answer answer(String eventId, int attempt) {
        double u = uniform(eventId + "#" + attempt);
        if (u < failureRate / 10) {
            return Answer.REJECTED;
        }
        if (u < failureRate) {
            return uniform(eventId + "#" + attempt + "#after") < 0.5 ? Answer.BUSY : Answer.BUSY_RETRY_AFTER;
        }
        return Answer.OK;
    }

    /** Calls answered so far. */
    long calls() {
        return calls.get();
    }

    /** Per key, the sequence numbers accepted (2xx), in the order they were accepted. */
    synchronized Map<String, List<Long>> accepted() {
        Map<String, List<Long>> copy = new LinkedHashMap<>();
        accepted.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return copy;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange;
                InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String eventId = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            int attempt = parseInt(exchange.getRequestHeaders().getFirst("Ladder-Attempt"));
            calls.incrementAndGet();
            Answer answer = answer(String.valueOf(eventId), attempt);
            if (answer == Answer.OK) {
                record(body);
            }
            if (answer == Answer.BUSY_RETRY_AFTER) {
                exchange.getResponseHeaders().set("Retry-After", "1");
            }
            byte[] reply = (answer == Answer.OK
                            ? "accepted"
                            : answer == Answer.REJECTED ? "invalid order" : "busy, try later")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(answer.status, reply.length);
            exchange.getResponseBody().write(reply);
        }
    }

    private synchronized void record(String body) {
        Matcher key = KEY.matcher(body);
        Matcher seq = SEQ.matcher(body);
        if (key.find() && seq.find()) {
            accepted.computeIfAbsent(key.group(1), k -> new ArrayList<>()).add(Long.parseLong(seq.group(1)));
        }
    }

    private double uniform(String what) {
        // SplitMix64 finalizer over (seed, text): stable across JVMs, unlike String#hashCode mixing alone
        long z = seed * 0x9E3779B97F4A7C15L + what.hashCode();
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 11) * 0x1.0p-53;
    }

    private static int parseInt(String s) {
        try {
            return s == null ? 0 : Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
