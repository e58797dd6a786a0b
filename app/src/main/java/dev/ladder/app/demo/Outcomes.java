package dev.ladder.app.demo;

import dev.ladder.kernel.LadderHeaders;
import dev.ladder.policy.TopicNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Where the demo's events ended: reads the output, dead-letter and tier topics with a
 * {@code read_committed} consumer (so only what Ladder's transactions committed counts) and keeps,
 * per event id, every place it landed.
 */
final class Outcomes implements AutoCloseable {

    private static final Pattern SEQ = Pattern.compile("\"seq\"\\s*:\\s*(\\d+)");
    private static final Pattern HTTP_STATUS = Pattern.compile("HTTP (\\d{3})");

    private final TopicNames topics;
    private final KafkaConsumer<String, String> consumer;
    private final Map<String, Long> records = new LinkedHashMap<>();
    private final Map<String, List<String>> places = new LinkedHashMap<>();
    private final Map<String, String> deadLetterReasons = new LinkedHashMap<>();
    private final Map<String, List<Long>> outputSeqs = new LinkedHashMap<>();

    Outcomes(String bootstrapServers, TopicNames topics, int partitions) {
        this.topics = topics;
        this.consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ConsumerConfig.CLIENT_ID_CONFIG,
                        "ladder-demo-watcher",
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                new StringDeserializer(),
                new StringDeserializer());
        List<TopicPartition> assignment = new ArrayList<>();
        for (String topic : topics.sinks()) {
            records.put(topic, 0L);
            for (int p = 0; p < partitions; p++) {
                assignment.add(new TopicPartition(topic, p));
            }
        }
        consumer.assign(assignment);
        consumer.seekToBeginning(assignment);
    }

    /** Reads what arrived, for up to {@code max}. */
    void poll(Duration max) {
        for (ConsumerRecord<String, String> r : consumer.poll(max)) {
            records.merge(r.topic(), 1L, Long::sum);
            String id = header(r, LadderHeaders.EVENT_ID);
            if (r.topic().equals(topics.deadLetter())) {
                places.computeIfAbsent(id, k -> new ArrayList<>()).add("dead-letter");
                deadLetterReasons.put(id, category(header(r, LadderHeaders.REASON)));
            } else if (topics.output().map(r.topic()::equals).orElse(false)) {
                places.computeIfAbsent(id, k -> new ArrayList<>()).add("output");
                Matcher seq = SEQ.matcher(String.valueOf(r.value()));
                if (seq.find()) {
                    outputSeqs.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(Long.parseLong(seq.group(1)));
                }
            }
        }
    }

    /** Records read so far from one topic. */
    long records(String topic) {
        return records.getOrDefault(topic, 0L);
    }

    /** Every place each event ended, in arrival order; more than one place is a duplicate. */
    Map<String, List<String>> places() {
        return places;
    }

    /** Why each dead letter died, by event id (a short category, not the whole message). */
    Map<String, String> deadLetterReasons() {
        return deadLetterReasons;
    }

    /** Per key, the sequence numbers on the output topic in offset order. */
    Map<String, List<Long>> outputSeqs() {
        return outputSeqs;
    }

    /** "non-retryable failure (HTTP 400)" from "non-retryable failure: HTTP 400 from POST ...". */
    static String category(String reason) {
        if (reason == null) {
            return "unknown";
        }
        int colon = reason.indexOf(':');
        String head = (colon < 0 ? reason : reason.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
        Matcher status = HTTP_STATUS.matcher(reason);
        return status.find() ? head + " (HTTP " + status.group(1) + ")" : head;
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
