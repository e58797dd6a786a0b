package dev.ladder.testing;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The one scriptable HTTP server of the tests: a real server on 127.0.0.1 and an ephemeral port
 * (every path) that answers each call as its script decides and records every call, in order, with
 * the wall-clock time it arrived (epoch ms, the clock Ladder's due times use). Unit tests script it
 * by the request ({@link #TestHttpServer(Function)}), the integration tests by event id and arrival
 * ({@link #byEvent}); a latency keeps calls in flight, and {@link #hold()} keeps them unanswered.
 */
public final class TestHttpServer implements AutoCloseable {

    /**
     * One call as received. {@code eventId} is its {@code Idempotency-Key} ({@code <none>} without
     * one), {@code number} its 1-based arrival among the calls of that event id, {@code order} among
     * all calls, {@code attempt} its {@code Ladder-Attempt} header; {@code status} is what it was
     * answered (0 while the script decides).
     */
    public record Call(
            String method,
            String path,
            String query,
            Headers headers,
            byte[] bodyBytes,
            String eventId,
            int number,
            long order,
            long epochMillis,
            int status) {

        public String header(String name) {
            return headers.getFirst(name);
        }

        public String body() {
            return new String(bodyBytes, StandardCharsets.UTF_8);
        }

        public String idempotencyKey() {
            return header("Idempotency-Key");
        }

        public String attempt() {
            return header("Ladder-Attempt");
        }

        Call answered(int answer) {
            return new Call(method, path, query, headers, bodyBytes, eventId, number, order, epochMillis, answer);
        }
    }

    /** An answer: status, headers, body, and how long to wait before sending it. */
    public record Reply(int status, Map<String, List<String>> headers, byte[] body, long delayMillis) {
        /** This status with the body {@code status N}. */
        public static Reply of(int status) {
            return of(status, "status " + status);
        }

        public static Reply of(int status, String body) {
            return new Reply(status, Map.of(), body.getBytes(StandardCharsets.UTF_8), 0);
        }

        public Reply header(String name, String... values) {
            Map<String, List<String>> h = new HashMap<>(headers);
            h.put(name, List.of(values));
            return new Reply(status, h, body, delayMillis);
        }

        public Reply delayed(long millis) {
            return new Reply(status, headers, body, millis);
        }
    }

    /** Decides the status of the {@code arrival}-th call (1-based) for {@code eventId}. */
    @FunctionalInterface
    public interface EventScript {
        int status(String eventId, int arrival);
    }

    /** Decides the answer to the {@code order}-th call of all (1-based), arrived at {@code epochMillis}. */
    @FunctionalInterface
    public interface OrderScript {
        Reply answer(String eventId, int order, long epochMillis);
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Duration latency;
    private final List<Call> calls = new ArrayList<>();
    private final Map<String, Integer> perEvent = new HashMap<>();
    private final BlockingQueue<Call> unread = new LinkedBlockingQueue<>();
    private final Set<String> inProgress = ConcurrentHashMap.newKeySet();
    private final AtomicInteger mostInProgress = new AtomicInteger();
    private final Object answers = new Object();
    private volatile Function<Call, Reply> script;
    private boolean holding;

    /** A server that answers each call as {@code script} decides, at once. */
    public TestHttpServer(Function<Call, Reply> script) {
        this(script, Duration.ZERO);
    }

    /** A server that answers each call {@code latency} after it arrived. */
    public TestHttpServer(Function<Call, Reply> script, Duration latency) {
        this.script = script;
        this.latency = latency;
        try {
            this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a test HTTP server", e);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    /** A server answering the status {@code script} gives by event id and arrival. */
    public static TestHttpServer byEvent(EventScript script) {
        return byEvent(script, Duration.ZERO);
    }

    /** Like {@link #byEvent(EventScript)}, answering each call {@code latency} after it arrived. */
    public static TestHttpServer byEvent(EventScript script, Duration latency) {
        return new TestHttpServer(c -> Reply.of(script.status(c.eventId(), c.number())), latency);
    }

    /** A server answering what {@code script} decides from each call's place among all calls and its time. */
    public static TestHttpServer byOrder(OrderScript script) {
        return new TestHttpServer(c -> script.answer(c.eventId(), (int) c.order(), c.epochMillis()));
    }

    /** From now on answers as {@code script} decides. */
    public void answer(Function<Call, Reply> next) {
        this.script = next;
    }

    /** From now on answers {@code reply} to every call. */
    public void answer(Reply reply) {
        this.script = c -> reply;
    }

    /** The URL to configure as {@code handler.http.url}: path {@code /hook}. */
    public String url() {
        return uri("/hook").toString();
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** Every call so far, in arrival order. */
    public synchronized List<Call> arrivals() {
        return List.copyOf(calls);
    }

    /** The calls of one event id, in arrival order. */
    public synchronized List<Call> arrivals(String eventId) {
        return calls.stream().filter(c -> c.eventId().equals(eventId)).toList();
    }

    public synchronized int total() {
        return calls.size();
    }

    /** Calls that arrived in [from, to) epoch ms. */
    public synchronized long callsBetween(long from, long to) {
        return calls.stream()
                .filter(c -> c.epochMillis() >= from && c.epochMillis() < to)
                .count();
    }

    /** Calls answered with {@code status}, per event id. */
    public synchronized Map<String, Long> countByStatus(int status) {
        return calls.stream()
                .filter(c -> c.status() == status)
                .collect(Collectors.groupingBy(Call::eventId, Collectors.counting()));
    }

    /** The next call not taken yet, waiting up to 5 s for it. */
    public Call take() throws InterruptedException {
        Call c = unread.poll(5, TimeUnit.SECONDS);
        if (c == null) {
            throw new AssertionError("no request received");
        }
        return c;
    }

    /** Event ids whose call arrived and is not answered yet. */
    public Set<String> inProgress() {
        return Set.copyOf(inProgress);
    }

    /** The most calls that were in progress at once. */
    public int mostInProgress() {
        return mostInProgress.get();
    }

    /**
     * Stops answering: calls in progress and new ones wait until {@link #release()}. Returns the
     * event ids of the calls that got no answer: no caller can learn their outcome before the release.
     */
    public Set<String> hold() {
        synchronized (answers) {
            holding = true;
            return Set.copyOf(inProgress);
        }
    }

    /** Answers again, the held calls first. */
    public void release() {
        synchronized (answers) {
            holding = false;
            answers.notifyAll();
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        long now = System.currentTimeMillis();
        String id = null;
        try (exchange;
                InputStream in = exchange.getRequestBody()) {
            byte[] body = in.readAllBytes();
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            id = key == null ? "<none>" : key;
            inProgress.add(id);
            mostInProgress.accumulateAndGet(inProgress.size(), Math::max);
            Reply reply;
            Call call;
            synchronized (this) {
                int number = perEvent.merge(id, 1, Integer::sum);
                URI uri = exchange.getRequestURI();
                Call arrived = new Call(
                        exchange.getRequestMethod(),
                        uri.getPath(),
                        uri.getQuery(),
                        exchange.getRequestHeaders(),
                        body,
                        id,
                        number,
                        calls.size() + 1L,
                        now,
                        0);
                reply = script.apply(arrived);
                call = arrived.answered(reply.status());
                calls.add(call);
            }
            unread.add(call);
            // the downstream's own processing time, not a wait for anything
            sleep(latency.toMillis() + reply.delayMillis());
            awaitAnswering(id);
            reply.headers().forEach(exchange.getResponseHeaders()::put);
            exchange.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
            if (reply.body().length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(reply.body());
                }
            }
        } catch (IOException e) {
            // the client gave up (timeout tests); nothing to answer
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

    private static void sleep(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
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
