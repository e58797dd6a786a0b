package dev.ladder.app.demo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Produces the demo's orders in the background: keyed events with an {@code event-id} header and
 * a per-key sequence number in the value, e.g. {@code {"key":"k7","seq":12}}.
 */
final class DemoProducer implements AutoCloseable {

    /** Pause between two events, so the ladder fills up while the table watches. */
    private static final long PAUSE_MS = 20;

    private final KafkaProducer<String, String> producer;
    private final List<String> produced = Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;
    private volatile boolean stopping;
    private volatile Exception failure;

    DemoProducer(String bootstrapServers, DemoOptions options) {
        this.producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ProducerConfig.CLIENT_ID_CONFIG,
                        "ladder-demo-producer",
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true,
                        ProducerConfig.LINGER_MS_CONFIG,
                        5),
                new StringSerializer(),
                new StringSerializer());
        this.thread = new Thread(() -> produce(options), "demo-producer");
        this.thread.setDaemon(true);
    }

    DemoProducer start() {
        thread.start();
        return this;
    }

    private void produce(DemoOptions options) {
        Random random = new Random(options.seed());
        long[] seqs = new long[options.keys()];
        try {
            for (int i = 1; i <= options.events() && !stopping; i++) {
                int k = random.nextInt(options.keys());
                String key = "k" + k;
                String id = String.format("order-%05d", i);
                String value = "{\"key\":\"" + key + "\",\"seq\":" + (++seqs[k]) + "}";
                ProducerRecord<String, String> record = new ProducerRecord<>(DemoLadder.MAIN_TOPIC, key, value);
                record.headers().add("event-id", id.getBytes(StandardCharsets.UTF_8));
                // idempotent producer, one key per partition: the broker keeps each key's send order
                producer.send(record, (md, e) -> {
                    if (e != null) {
                        failure = e;
                    } else {
                        produced.add(id);
                    }
                });
                Thread.sleep(PAUSE_MS);
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    /** Ids of the events the broker acknowledged so far. */
    List<String> produced() {
        synchronized (produced) {
            return List.copyOf(produced);
        }
    }

    /** True once every event was sent and acknowledged (or sending stopped). */
    boolean done() {
        return !thread.isAlive();
    }

    /** Why sending failed, if it did. */
    Exception failure() {
        return failure;
    }

    @Override
    public void close() {
        stopping = true;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
