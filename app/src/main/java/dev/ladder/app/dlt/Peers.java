package dev.ladder.app.dlt;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The other instances of the application, asked over their ops port ({@code application.server}).
 * All are asked at once and the first that knows answers; the whole question has one deadline, so
 * peers that hang or are down cost {@link #DEADLINE} at most, however many there are.
 */
final class Peers {

    /** The longest a question to the peers takes. */
    static final Duration DEADLINE = Duration.ofSeconds(3);

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();

    /**
     * The first other instance's answer (a JSON body) for the event, if any instance knows it.
     *
     * @param authorization the caller's {@code Authorization} header, passed on: every instance
     *     runs on the same configuration, so it accepts the same tokens
     */
    Optional<String> findEvent(KafkaStreams streams, HostInfo self, String eventId, String authorization) {
        return findEvent(
                streams.metadataForAllStreamsClients().stream()
                        .map(StreamsMetadata::hostInfo)
                        .toList(),
                self,
                eventId,
                authorization);
    }

    /** The first answer of these instances (minus {@code self}) for the event, if any knows it. */
    Optional<String> findEvent(Collection<HostInfo> hosts, HostInfo self, String eventId, String authorization) {
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        CompletableFuture<Optional<String>> first = new CompletableFuture<>();
        String path =
                "/events/" + URLEncoder.encode(eventId, StandardCharsets.UTF_8).replace("+", "%20") + "?local=true";
        for (HostInfo host : hosts) {
            if (host.equals(self) || host.port() < 0) {
                continue; // ourselves, or an instance that advertises no server
            }
            URI uri = URI.create("http://" + host.host() + ":" + host.port() + path);
            HttpRequest.Builder request =
                    HttpRequest.newBuilder(uri).timeout(DEADLINE).GET();
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            calls.add(http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString()));
        }
        AtomicInteger pending = new AtomicInteger(calls.size());
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            call.whenComplete((response, failure) -> {
                // a peer that is down or unreachable (failure) does not know; the others may
                if (failure == null && response.statusCode() == 200) {
                    first.complete(Optional.of(response.body()));
                } else if (pending.decrementAndGet() == 0) {
                    first.complete(Optional.empty());
                }
            });
        }
        if (calls.isEmpty()) {
            return Optional.empty();
        }
        try {
            return first.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            calls.forEach(c -> c.cancel(true));
        }
    }
}
