package dev.ladder.handler.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A local HTTP server on 127.0.0.1 that records requests and answers what a test scripts. */
final class TestServer implements AutoCloseable {

    /** A request as the server saw it. */
    record Received(String method, String path, Headers headers, byte[] body) {
        String header(String name) {
            return headers.getFirst(name);
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** What to answer. */
    record Reply(int status, Map<String, List<String>> headers, byte[] body, long delayMillis) {
        static Reply of(int status, String body) {
            return new Reply(status, Map.of(), body.getBytes(StandardCharsets.UTF_8), 0);
        }

        Reply header(String name, String... values) {
            Map<String, List<String>> h = new java.util.HashMap<>(headers);
            h.put(name, List.of(values));
            return new Reply(status, h, body, delayMillis);
        }

        Reply delayed(long millis) {
            return new Reply(status, headers, body, millis);
        }
    }

    private final HttpServer server;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private volatile java.util.function.Function<Received, Reply> script = r -> Reply.of(200, "ok");

    TestServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            try (exchange) {
                Received r = new Received(
                        exchange.getRequestMethod(),
                        exchange.getRequestURI().getPath(),
                        exchange.getRequestHeaders(),
                        exchange.getRequestBody().readAllBytes());
                received.add(r);
                Reply reply = script.apply(r);
                if (reply.delayMillis() > 0) {
                    sleep(reply.delayMillis()); // the slow server, not the test, waits
                }
                reply.headers().forEach(exchange.getResponseHeaders()::put);
                exchange.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
                if (reply.body().length > 0) {
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(reply.body());
                    }
                }
            } catch (IOException e) {
                // the client gave up (timeout tests); nothing to answer
            }
        });
        server.start();
    }

    void answer(java.util.function.Function<Received, Reply> script) {
        this.script = script;
    }

    void answer(Reply reply) {
        this.script = r -> reply;
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    Received take() throws InterruptedException {
        Received r = received.poll(5, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("no request received");
        }
        return r;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
