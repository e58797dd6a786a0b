package dev.ladder.app.dlt;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

/** The other instances of the application, asked over their ops port ({@code application.server}). */
final class Peers {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    /** The first other instance's answer (a JSON body) for the event, if any instance knows it. */
    Optional<String> findEvent(KafkaStreams streams, HostInfo self, String eventId) {
        for (StreamsMetadata peer : streams.metadataForAllStreamsClients()) {
            HostInfo host = peer.hostInfo();
            if (host.equals(self) || host.port() < 0) {
                continue; // ourselves, or an instance that advertises no server
            }
            URI uri = URI.create("http://" + host.host() + ":" + host.port() + "/events/"
                    + URLEncoder.encode(eventId, StandardCharsets.UTF_8).replace("+", "%20") + "?local=true");
            try {
                HttpResponse<String> response = http.send(
                        HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return Optional.of(response.body());
                }
            } catch (IOException e) {
                // that instance is down or unreachable: the others may still know
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
