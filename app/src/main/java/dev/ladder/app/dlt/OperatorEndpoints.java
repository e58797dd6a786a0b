package dev.ladder.app.dlt;

import com.sun.net.httpserver.HttpExchange;
import dev.ladder.app.ops.Audit;
import dev.ladder.app.ops.JsonReply;
import dev.ladder.app.ops.OpsAuth;
import dev.ladder.app.ops.OpsServer;
import dev.ladder.avro.EventStatus;
import dev.ladder.avro.KeyState;
import dev.ladder.kernel.LadderHeaders;
import dev.ladder.policy.LadderSettings;
import dev.ladder.serde.AvroCodec;
import dev.ladder.serde.RetryStores;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Operator endpoints on the ops port, answered from the processor's stores by interactive queries.
 *
 * <ul>
 *   <li>{@code GET /keys/blocked}: keys held on this instance's partitions (key as UTF-8, or
 *       Base64 with {@code keyEncoding: base64}), with partition, reason, since and parked count.
 *   <li>{@code POST /keys/{key}/release} ({@code ?encoding=base64} for a binary key): writes the
 *       release control record to the first tier topic, on the partition that owns the key, with a
 *       transactional producer; 202 when sent, 404 when the key is not held on this instance.
 *   <li>{@code GET /events/{id}}: where an event is. The events store is keyed by event id but
 *       partitioned by message key, so every local partition is asked; when none has it, the other
 *       instances are (over their {@code application.server}), with {@code ?local=true} so that they
 *       do not ask further. 404 when nobody knows the id.
 * </ul>
 *
 * <p>All need a bearer token (see {@link OpsAuth}); a release needs an operator token and is
 * written to the audit log. All answer 503 until Kafka Streams runs.
 */
public final class OperatorEndpoints implements AutoCloseable {

    private final Supplier<Optional<KafkaStreams>> streams;
    private final LadderSettings settings;
    private final Peers peers = new Peers();
    private volatile Properties streamsProps;
    private volatile HostInfo self;
    private final ControlProducer control = new ControlProducer(this::newControlProducer);

    private OperatorEndpoints(Supplier<Optional<KafkaStreams>> streams, LadderSettings settings) {
        this.streams = streams;
        this.settings = settings;
    }

    /** Adds the endpoints to the ops server. */
    public static OperatorEndpoints install(
            OpsServer ops, Supplier<Optional<KafkaStreams>> streams, LadderSettings settings) {
        OperatorEndpoints endpoints = new OperatorEndpoints(streams, settings);
        ops.route("/keys/", endpoints::keys);
        ops.route("/events/", endpoints::events);
        return endpoints;
    }

    /**
     * Sets {@code application.server} (unless the user did) to this host's name and the ops port,
     * so other instances can forward queries here, and remembers the client settings for the
     * control producer. Call before Kafka Streams is built.
     */
    public void configure(Properties props, int opsPort) {
        props.putIfAbsent(StreamsConfig.APPLICATION_SERVER_CONFIG, localHostName() + ":" + opsPort);
        this.self = HostInfo.buildFromEndpoint(props.getProperty(StreamsConfig.APPLICATION_SERVER_CONFIG));
        this.streamsProps = props;
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private void keys(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        Optional<KafkaStreams> running = running(ex);
        if (running.isEmpty()) {
            return;
        }
        if (path.equals("/keys/blocked")) {
            if (method(ex, "GET")) {
                send(ex, 200, blocked(running.get()));
            }
            return;
        }
        if (path.endsWith("/release") && path.length() > "/keys//release".length() - 1) {
            if (method(ex, "POST")) {
                String raw = path.substring("/keys/".length(), path.length() - "/release".length());
                boolean base64 = "encoding=base64".equals(ex.getRequestURI().getRawQuery());
                String text = decode(raw);
                byte[] key = base64 ? Base64.getDecoder().decode(text) : text.getBytes(StandardCharsets.UTF_8);
                release(ex, running.get(), key);
            }
            return;
        }
        send(ex, 404, Map.of("error", "not found"));
    }

    private List<Map<String, Object>> blocked(KafkaStreams kafkaStreams) {
        List<Map<String, Object>> keys = new ArrayList<>();
        StoreQueries.scan(kafkaStreams, RetryStores.KEYS, (partition, kv) -> {
            KeyState state = AvroCodec.KEY_STATE.decode(kv.value);
            if (!state.getHeld()) {
                return;
            }
            byte[] key = kv.key.get();
            Map<String, Object> m = new LinkedHashMap<>();
            Optional<String> utf8 = DeadLetter.utf8(key);
            m.put("key", utf8.orElseGet(() -> Base64.getEncoder().encodeToString(key)));
            m.put("keyEncoding", utf8.isPresent() ? "utf8" : "base64");
            m.put("partition", partition);
            m.put("heldReason", state.getHeldReason());
            m.put(
                    "heldSince",
                    state.getHeldSince() == null
                            ? null
                            : Instant.ofEpochMilli(state.getHeldSince()).toString());
            m.put("parked", state.getParked());
            keys.add(m);
        });
        return keys;
    }

    private void release(HttpExchange ex, KafkaStreams kafkaStreams, byte[] key) throws IOException {
        Integer partition = null;
        for (Map.Entry<Integer, byte[]> e :
                StoreQueries.get(kafkaStreams, RetryStores.KEYS, key).entrySet()) {
            if (AvroCodec.KEY_STATE.decode(e.getValue()).getHeld()) {
                partition = e.getKey();
            }
        }
        String keyText = DeadLetter.text(key);
        if (partition == null) {
            send(ex, 404, Map.of("error", "key is not held on this instance", "key", keyText));
            return;
        }
        String topic = settings.topics().tier(1);
        RecordHeaders headers = new RecordHeaders();
        headers.add(LadderHeaders.CONTROL, LadderHeaders.CONTROL_RELEASE_KEY.getBytes(StandardCharsets.UTF_8));
        try {
            control.send(new ProducerRecord<>(topic, partition, key, null, headers));
        } catch (KafkaException e) {
            send(
                    ex,
                    503,
                    Map.of(
                            "error",
                            "the release record could not be written (" + e.getMessage() + "); try again",
                            "key",
                            keyText));
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", keyText);
        body.put("partition", partition);
        body.put("topic", topic);
        body.put("status", "release requested");
        Audit.record(OpsAuth.callerOf(ex), "release-key", 1, "key " + keyText + " on partition " + partition);
        send(ex, 202, body);
    }

    private Producer<byte[], byte[]> newControlProducer() {
        String id = streamsProps.getProperty(StreamsConfig.APPLICATION_ID_CONFIG) + "-control-" + self.host() + "-"
                + self.port();
        Properties props = ClientProperties.producer(streamsProps, id);
        // an operator waits for the answer: a broker that is away fails the request in 15 s, not 60
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "15000");
        return new KafkaProducer<>(props);
    }

    private void events(HttpExchange ex) throws IOException {
        Optional<KafkaStreams> running = running(ex);
        if (running.isEmpty() || !method(ex, "GET")) {
            return;
        }
        String id = decode(ex.getRequestURI().getRawPath().substring("/events/".length()));
        Map<Integer, byte[]> found =
                StoreQueries.get(running.get(), RetryStores.EVENTS, id.getBytes(StandardCharsets.UTF_8));
        if (found.isEmpty()) {
            found = StoreQueries.newest(running.get(), RetryStores.FINISHED, id.getBytes(StandardCharsets.UTF_8));
        }
        if (!found.isEmpty()) {
            Map.Entry<Integer, byte[]> e = found.entrySet().iterator().next();
            send(ex, 200, status(AvroCodec.EVENT_STATUS.decode(e.getValue()), e.getKey()));
            return;
        }
        boolean local = "local=true".equals(ex.getRequestURI().getRawQuery());
        Optional<String> remote = local
                ? Optional.empty()
                : peers.findEvent(
                        running.get(), self, id, ex.getRequestHeaders().getFirst("Authorization"));
        if (remote.isPresent()) {
            sendRaw(ex, 200, remote.get());
            return;
        }
        send(ex, 404, Map.of("error", "unknown event", "eventId", id));
    }

    private Map<String, Object> status(EventStatus s, int partition) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("eventId", s.getEventId());
        m.put("status", s.getStatus());
        m.put("tier", s.getTier());
        m.put("attempts", s.getAttempts());
        m.put(
                "dueTime",
                s.getDueTime() == null
                        ? null
                        : Instant.ofEpochMilli(s.getDueTime()).toString());
        m.put("lastError", s.getLastError());
        // the handler's stage checkpoint: opaque bytes, shown as base64
        m.put(
                "checkpoint",
                s.getCheckpoint() == null
                        ? null
                        : java.util.Base64.getEncoder()
                                .encodeToString(dev.ladder.serde.Envelopes.bytes(s.getCheckpoint())));
        m.put("originalTopic", s.getOriginalTopic());
        m.put("originalPartition", s.getOriginalPartition());
        m.put("originalOffset", s.getOriginalOffset());
        m.put("firstSeenTime", Instant.ofEpochMilli(s.getFirstSeenTime()).toString());
        m.put("updatedTime", Instant.ofEpochMilli(s.getUpdatedTime()).toString());
        m.put("partition", partition);
        m.put("instance", self == null ? null : self.host() + ":" + self.port());
        return m;
    }

    private Optional<KafkaStreams> running(HttpExchange ex) throws IOException {
        Optional<KafkaStreams> s = streams.get();
        if (s.isEmpty() || !s.get().state().isRunningOrRebalancing()) {
            send(ex, 503, Map.of("error", "Kafka Streams is not running yet"));
            return Optional.empty();
        }
        return s;
    }

    private static boolean method(HttpExchange ex, String method) throws IOException {
        if (ex.getRequestMethod().equals(method)) {
            return true;
        }
        ex.getResponseHeaders().set("Allow", method);
        send(ex, 405, Map.of("error", "method not allowed"));
        return false;
    }

    // a '+' in a path is a plus, not a space
    private static String decode(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static void send(HttpExchange ex, int status, Object body) throws IOException {
        JsonReply.send(ex, status, body);
    }

    private static void sendRaw(HttpExchange ex, int status, String body) throws IOException {
        JsonReply.sendRaw(ex, status, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        control.close();
    }
}
