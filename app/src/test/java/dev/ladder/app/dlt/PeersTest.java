package dev.ladder.app.dlt;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PeersTest {

    private static final HostInfo SELF = new HostInfo("127.0.0.1", 1);
    private static final String BEARER = "Bearer peer-token-0123456789";

    private final List<AutoCloseable> open = new ArrayList<>();
    private final Peers peers = new Peers();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    @Test
    void shouldFindAnEventPromptlyBehindPeersThatHangOrAreDown() throws Exception {
        // given two peers that accept connections but never answer, one that is down, and one that knows
        List<HostInfo> hosts = List.of(hung(), hung(), down(), knowing("{\"eventId\":\"e-1\"}"), SELF);

        // when
        long start = System.nanoTime();
        Optional<String> found = peers.findEvent(hosts, SELF, "e-1", BEARER);

        // then the answer does not wait for the hung ones
        assertThat(found).contains("{\"eventId\":\"e-1\"}");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1_500));
    }

    @Test
    void shouldGiveUpWithinOneDeadlineHoweverManyPeersHang() throws Exception {
        // given four peers that never answer
        List<HostInfo> hosts = List.of(hung(), hung(), hung(), hung());

        // when
        long start = System.nanoTime();
        Optional<String> found = peers.findEvent(hosts, SELF, "e-1", BEARER);

        // then one bounded wait for all of them, not one per peer
        assertThat(found).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Peers.DEADLINE.plusSeconds(1));
    }

    @Test
    void shouldPassTheCallersTokenOnToPeers() throws Exception {
        // given a peer that knows the event and, like every instance, wants a token
        List<HostInfo> hosts = List.of(knowing("{\"eventId\":\"e-1\"}"));

        // when asked with the caller's token, and without one
        Optional<String> withToken = peers.findEvent(hosts, SELF, "e-1", BEARER);
        Optional<String> withoutToken = peers.findEvent(hosts, SELF, "e-1", null);

        // then only the question that carried the token is answered
        assertThat(withToken).contains("{\"eventId\":\"e-1\"}");
        assertThat(withoutToken).isEmpty();
    }

    /** A peer whose port accepts connections (the kernel's backlog) but that never answers. */
    private HostInfo hung() throws Exception {
        ServerSocket socket = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        open.add(socket);
        return new HostInfo("127.0.0.1", socket.getLocalPort());
    }

    private static HostInfo down() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return new HostInfo("127.0.0.1", socket.getLocalPort());
        }
    }

    private HostInfo knowing(String body) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/events/", exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            if (!BEARER.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.sendResponseHeaders(401, -1);
                exchange.close();
                return;
            }
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        open.add(() -> server.stop(0));
        return new HostInfo("127.0.0.1", server.getAddress().getPort());
    }
}
