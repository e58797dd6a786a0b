package dev.ladder.handler.http;

import dev.ladder.handler.AsyncEventHandler;
import dev.ladder.handler.Event;
import dev.ladder.handler.NonRetryableException;
import dev.ladder.handler.Outcome;
import dev.ladder.text.Redaction;
import dev.ladder.text.Secrets;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.header.Header;

/**
 * The built-in handler: delivers each event's value to one HTTP endpoint.
 *
 * <p>The request carries the event value as its body, the configured headers,
 * {@code Idempotency-Key: <event id>} (stable across attempts, so the receiver can de-duplicate),
 * {@code Ladder-Attempt: <n>}, and the record's own {@code Content-Type} when the settings do not
 * set one. The response status is classified by {@link HttpStatusClassifier}; {@code Retry-After}
 * becomes the retry's not-before time. Connection failures and timeouts are transient.
 *
 * <p>One {@link HttpClient} per instance, shared by all stream threads (it is thread-safe).
 * Loaded by class name it is configured through {@link #configure} with the
 * {@code handler.http.*} keys of {@link HttpHandlerSettings}.
 */
public final class HttpEventHandler implements AsyncEventHandler {

    /** Header carrying the event id. */
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    /** Header carrying the attempt number, starting at 1. */
    public static final String ATTEMPT = "Ladder-Attempt";

    private final Clock clock;
    private final Collection<String> configuredSecrets;
    private volatile HttpHandlerSettings settings;
    private volatile HttpClient client;
    private volatile Secrets secrets;

    /** For loading by class name; {@link #configure} must be called before use. */
    public HttpEventHandler() {
        this.clock = Clock.systemUTC();
        this.configuredSecrets = List.of();
    }

    /** A ready handler; the clock is what {@code Retry-After} delays count from. */
    public HttpEventHandler(HttpHandlerSettings settings, Clock clock) {
        this(settings, clock, List.of());
    }

    /**
     * A ready handler that also never lets {@code secrets} (e.g. every value of the configuration
     * that came from a secret reference, whatever header or URL it went into) into an outcome's
     * message, even when the downstream echoes them.
     */
    public HttpEventHandler(HttpHandlerSettings settings, Clock clock, Collection<String> secrets) {
        this.clock = clock;
        this.configuredSecrets = List.copyOf(secrets);
        init(settings);
    }

    @Override
    public void configure(Map<String, ?> settings) {
        init(HttpHandlerSettings.fromMap(settings));
    }

    private void init(HttpHandlerSettings s) {
        this.settings = s;
        // the configuration's referenced values and the values of secret-named headers, masked by the one rule
        this.secrets = Secrets.of(configuredSecrets).with(Redaction.secretHeaderValues(s.headers()));
        this.client = HttpClient.newBuilder()
                .connectTimeout(s.connectTimeout())
                // h2 over TLS is negotiated by ALPN; over plain http the h2c upgrade dance with a
                // request body confuses some servers, so speak HTTP/1.1 there.
                .version(
                        s.url().getScheme().equalsIgnoreCase("https")
                                ? HttpClient.Version.HTTP_2
                                : HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The settings in use. */
    public HttpHandlerSettings settings() {
        return settings;
    }

    /**
     * Sends the event and returns at once: the stage completes when the response (or a failure)
     * is in, holding no thread meanwhile. The bound covers the response body too, and leaves the
     * connect timeout its own share (the request timeout only covers the wait for the headers).
     */
    @Override
    public CompletionStage<Outcome> handleAsync(Event event) {
        HttpHandlerSettings s = settings;
        if (s == null) {
            throw new IllegalStateException("HttpEventHandler is not configured: set handler.http.url");
        }
        // a URL from a secret reference may carry its secret in the path (webhook URLs do)
        String target = Redaction.text(secrets, s.method() + " " + s.safeUrl());
        CompletableFuture<HttpResponse<BodySnippet.Kept>> call =
                client.sendAsync(request(s, event), info -> new BodySnippet(s.bodySnippetBytes()));
        long bound = s.requestTimeout().plus(s.connectTimeout()).toMillis();
        return call.orTimeout(bound, TimeUnit.MILLISECONDS).handle((response, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause()
                        : failure;
                if (cause instanceof TimeoutException) {
                    call.cancel(true);
                    return transientIo(target, new HttpTimeoutException("response not complete in time"));
                }
                if (cause instanceof IOException io) {
                    return transientIo(target, io);
                }
                throw new IllegalStateException(Redaction.text(secrets, target + " failed: " + cause), cause);
            }
            return outcome(s, target, response);
        });
    }

    private Outcome outcome(HttpHandlerSettings s, String target, HttpResponse<BodySnippet.Kept> response) {
        int status = response.statusCode();
        Instant notBefore = RetryAfter.parse(response.headers().allValues("Retry-After"), clock)
                .orElse(null);
        String snippet = BodySnippet.render(response.body(), s.bodySnippetBytes());
        snippet = response.body().total() > s.bodySnippetBytes()
                ? Redaction.cutText(secrets, snippet)
                : Redaction.text(secrets, snippet);
        return HttpStatusClassifier.classify(status, target, snippet, notBefore);
    }

    private HttpRequest request(HttpHandlerSettings s, Event event) {
        byte[] value = event.value();
        HttpRequest.BodyPublisher body = value == null || value.length == 0
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(value);
        HttpRequest.Builder b =
                HttpRequest.newBuilder(s.url()).timeout(s.requestTimeout()).method(s.method(), body);
        s.headers().forEach(b::setHeader);
        if (s.headers().keySet().stream().noneMatch("Content-Type"::equalsIgnoreCase)) {
            String recordType = recordContentType(event);
            if (recordType != null && isLegalValue(recordType)) {
                b.setHeader("Content-Type", recordType);
            }
        }
        // Set after the configured headers: these two are the contract with the receiver.
        if (event.eventId() != null) {
            if (!isLegalValue(event.eventId())) {
                // No retry can make this id sendable.
                throw new NonRetryableException("event id cannot be sent as an HTTP header value");
            }
            b.setHeader(IDEMPOTENCY_KEY, event.eventId());
        }
        b.setHeader(ATTEMPT, Integer.toString(event.attempt()));
        return b.build();
    }

    private static String recordContentType(Event event) {
        if (event.headers() == null) {
            return null;
        }
        String found = null;
        for (Header h : event.headers()) {
            // Kafka header names are case-sensitive; producers spell this one both ways.
            if (h.key().toLowerCase(Locale.ROOT).equals("content-type") && h.value() != null) {
                found = new String(h.value(), StandardCharsets.UTF_8).trim();
            }
        }
        return found == null || found.isEmpty() ? null : found;
    }

    // java.net.http rejects control characters in header values; check first to classify well.
    private static boolean isLegalValue(String value) {
        return value.chars().noneMatch(c -> (c < 0x20 && c != '\t') || c == 0x7F);
    }

    private Outcome transientIo(String target, IOException failure) {
        String what = failure instanceof HttpTimeoutException ? "timed out" : "failed";
        String detail = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        return new Outcome.Transient(Redaction.text(secrets, target + " " + what + ": " + detail), failure, null, null);
    }

    /** Nothing to release: Java 17's HttpClient has no close and frees its threads when unreachable. */
    @Override
    public void close() {}
}
