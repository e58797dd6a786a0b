package dev.ladder.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A port where nothing listens until {@link #open} is called, then a plain TCP forwarder to the
 * real broker. Bootstrapping through it makes "the broker is unreachable" real (connection
 * refused) and then ends it, without a broker on a fixed port. After bootstrap, clients connect
 * to the broker's advertised listener directly.
 */
final class TcpGate implements AutoCloseable {

    private final int port;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;

    /** Reserves a free port (bound and released: the OS does not hand it out again soon). */
    TcpGate() {
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return port;
    }

    /** Starts listening on the reserved port, forwarding every connection to {@code host:targetPort}. */
    synchronized void open(String host, int targetPort) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        server = s;
        Thread acceptor = new Thread(
                () -> {
                    while (!s.isClosed()) {
                        try {
                            Socket client = s.accept();
                            Socket upstream = new Socket(host, targetPort);
                            sockets.add(client);
                            sockets.add(upstream);
                            pipe(client, upstream);
                            pipe(upstream, client);
                        } catch (IOException e) {
                            // closed, or the broker refused: the client sees a dropped connection and retries
                        }
                    }
                },
                "tcp-gate-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void pipe(Socket from, Socket to) {
        Thread t = new Thread(
                () -> {
                    byte[] buffer = new byte[16 * 1024];
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        int n;
                        while ((n = in.read(buffer)) >= 0) {
                            out.write(buffer, 0, n);
                            out.flush();
                        }
                    } catch (IOException e) {
                        // one side went away
                    } finally {
                        closeQuietly(from);
                        closeQuietly(to);
                    }
                },
                "tcp-gate-pipe");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public synchronized void close() throws IOException {
        if (server != null) {
            server.close();
        }
        sockets.forEach(TcpGate::closeQuietly);
    }
}
