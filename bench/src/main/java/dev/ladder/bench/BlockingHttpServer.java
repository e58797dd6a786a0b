package dev.ladder.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The downstream of the I/O-bound and burst scenarios: HTTP/1.1 on 127.0.0.1 (ephemeral port) over
 * blocking sockets, one thread per connection. Clients keep their connections alive and send one
 * request at a time on each, so a slow answer costs a sleeping thread and nothing else. The JDK
 * {@code HttpServer} used before hands every request from one dispatcher thread to a pool; on this
 * 2-core machine that pair capped a 64-in-flight client at about 500 calls/s, below what the sides
 * under test could do. Each request is answered after {@code latencyMs} with the status the script
 * picks for its {@code Idempotency-Key}, and no body.
 */
final class BlockingHttpServer implements AutoCloseable {

    /** The status of one call, from its {@code Idempotency-Key} ("" when absent) and the time. */
    interface Script {
        int answer(String idempotencyKey, long epochMillis);
    }

    private static final String IDEMPOTENCY_KEY = "idempotency-key:";
    private static final String CONTENT_LENGTH = "content-length:";

    private final ServerSocket socket;
    private final int latencyMs;
    private final Script script;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    final AtomicLong calls = new AtomicLong();

    BlockingHttpServer(int latencyMs, Script script) {
        this.latencyMs = latencyMs;
        this.script = script;
        try {
            socket = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::accept, "bench-http-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/hook");
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                open.add(connection);
                Thread t = new Thread(() -> serve(connection), "bench-http-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket connection) {
        try (connection) {
            connection.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(connection.getInputStream());
            OutputStream out = connection.getOutputStream();
            while (true) {
                String key = "";
                int length = 0;
                String line = readLine(in);
                if (line == null) {
                    return;
                }
                // headers up to the empty line; only these two matter here
                while ((line = readLine(in)) != null && !line.isEmpty()) {
                    String lower = line.toLowerCase(Locale.ROOT);
                    if (lower.startsWith(IDEMPOTENCY_KEY)) {
                        key = line.substring(IDEMPOTENCY_KEY.length()).trim();
                    } else if (lower.startsWith(CONTENT_LENGTH)) {
                        length = Integer.parseInt(
                                line.substring(CONTENT_LENGTH.length()).trim());
                    }
                }
                if (line == null) {
                    return;
                }
                in.readNBytes(length);
                if (latencyMs > 0) {
                    Thread.sleep(latencyMs);
                }
                int status = script.answer(key, System.currentTimeMillis());
                calls.incrementAndGet();
                out.write(
                        ("HTTP/1.1 " + status + " " + (status < 300 ? "OK" : "Error") + "\r\nContent-Length: 0\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (SocketException e) {
            // the client or close() ended the connection
        } catch (IOException | RuntimeException e) {
            System.err.println("bench http server: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.remove(connection);
        }
    }

    /** One CRLF-terminated line without its terminator; null at the end of the stream before any byte. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(64);
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                if (line.size() == 0) {
                    return null;
                }
                throw new IOException("connection closed inside a request");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
