package dev.ladder.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The downstream of the integration tests: a real HTTP server on 127.0.0.1 and an ephemeral port
 * that answers each call with the status a {@link Script} decides from the event id (the
 * {@code Idempotency-Key} header) and how many times that id has arrived, and records every arrival
 * with its wall-clock time in epoch milliseconds (the clock Ladder's due times use). With a
 * latency, each call is answered that long after it arrived, so that many calls are in flight.
 */
final class HookServer implements AutoCloseable {

    /** Decides the status of the {@code arrival}-th call (1-based) for {@code eventId}. */
    @FunctionalInterface
    interface Script {
        int status(String eventId, int arrival);
    }

    /**
     * One call as received; {@code order} is its 1-based position among all calls, {@code attempt}
     * its {@code Ladder-Attempt} header, {@code query} the URL's query (null without one: tests
     * tell instances apart by it).
     */
    record Arrival(
            String eventId,
            int number,
            long epochMillis,
            String idempotencyKey,
            String body,
            int status,
            String attempt,
            long order,
            String query) {}

    private final Script script;
    private final Duration latency;
    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, List<Arrival>> arrivals = new ConcurrentHashMap<>();
    private final AtomicLong order = new AtomicLong();
    private final Set<String> inProgress = ConcurrentHashMap.newKeySet();
    private final AtomicInteger mostInProgress = new AtomicInteger();
    private final Object answers = new Object();
    private boolean holding;

    HookServer(Script script) throws IOException {
        this(script, Duration.ZERO);
    }

    /** A server that answers each call {@code latency} after it arrived. */
    HookServer(Script script, Duration latency) throws IOException {
        this.script = script;
        this.latency = latency;
        // a slow downstream needs a thread per call it holds: Ladder keeps up to 64 per stream thread in flight
        this.executor = Executors.newFixedThreadPool(latency.isZero() ? 4 : 256);
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

    /** Every call received so far, in arrival order. */
    List<Arrival> all() {
        List<Arrival> all = new ArrayList<>();
        for (List<Arrival> list : arrivals.values()) {
            synchronized (list) {
                all.addAll(list);
            }
        }
        all.sort(Comparator.comparingLong(Arrival::order));
        return all;
    }

    /** Event ids whose call arrived and is not answered yet (only with a latency). */
    Set<String> inProgress() {
        return Set.copyOf(inProgress);
    }

    /**
     * Stops answering: calls in progress and new ones wait until {@link #release()}. Returns the
     * event ids of the calls that got no answer (only with a latency): no caller can learn their
     * outcome before the release.
     */
    Set<String> hold() {
        synchronized (answers) {
            holding = true;
            return Set.copyOf(inProgress);
        }
    }

    /** Answers again, the held calls first. */
    void release() {
        synchronized (answers) {
            holding = false;
            answers.notifyAll();
        }
    }

    /** The most calls that were in progress at once. */
    int mostInProgress() {
        return mostInProgress.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        long now = System.currentTimeMillis();
        String id = null;
        try (exchange;
                InputStream in = exchange.getRequestBody()) {
            String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            String attempt = exchange.getRequestHeaders().getFirst("Ladder-Attempt");
            id = key == null ? "<none>" : key;
            List<Arrival> list = arrivals.computeIfAbsent(id, k -> new ArrayList<>());
            int status;
            synchronized (list) {
                int number = list.size() + 1;
                status = script.status(id, number);
                list.add(new Arrival(
                        id,
                        number,
                        now,
                        key,
                        body,
                        status,
                        attempt,
                        order.incrementAndGet(),
                        exchange.getRequestURI().getQuery()));
            }
            if (!latency.isZero()) {
                inProgress.add(id);
                mostInProgress.accumulateAndGet(inProgress.size(), Math::max);
                // the downstream's own processing time, not a wait for anything
                sleep(latency);
                awaitAnswering(id);
            }
            byte[] response = ("status " + status).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, response.length);
            exchange.getResponseBody().write(response);
        } finally {
            if (id != null) {
                inProgress.remove(id);
            }
        }
    }

    /** Waits while answers are held; a call leaves the in-progress set only once it may be answered. */
    private void awaitAnswering(String id) {
        synchronized (answers) {
            while (holding) {
                try {
                    answers.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            inProgress.remove(id);
        }
    }

    private static void sleep(Duration latency) {
        try {
            Thread.sleep(latency.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        executor.shutdownNow();
    }
}
