package dev.ladder.it;

import static dev.ladder.it.CommittedReader.header;
import static dev.ladder.it.CommittedReader.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.kernel.LadderHeaders;
import dev.ladder.testing.TestHttpServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A keyed load with a known fate per event, and the checks of Ladder's guarantees on what it left
 * in the output and dead-letter topics: every event in exactly one of them, none twice, each key's
 * successes in sequence order.
 *
 * <p>Event {@code seq} of key {@code k} has id {@code ev-k-seq} and value {@code seq=N}. Its fate
 * follows from the id alone: about 5% always fail (503, so they are dead-lettered after the last
 * tier), about 30% fail their first two calls with 503 and then succeed, the rest succeed at once.
 * A call repeated after a crash counts as a call, so a crash can only make a transient event
 * succeed sooner, never change which topic it ends in.
 */
final class KeyedLoad {

    enum Fate {
        OK,
        TRANSIENT,
        DOOMED
    }

    record Event(String id, String key, int seq, Fate fate) {}

    private final List<Event> events = new ArrayList<>();
    private final Map<String, Event> byId = new HashMap<>();

    KeyedLoad(int keys, int perKey) {
        for (int seq = 0; seq < perKey; seq++) {
            for (int k = 0; k < keys; k++) {
                String key = "k%02d".formatted(k);
                String id = "ev-" + key + "-" + seq;
                Event e = new Event(id, key, seq, fate(id));
                events.add(e);
                byId.put(id, e);
            }
        }
    }

    private static Fate fate(String id) {
        int h = Math.floorMod(id.hashCode() * 31 + 7, 100);
        return h < 5 ? Fate.DOOMED : h < 35 ? Fate.TRANSIENT : Fate.OK;
    }

    List<Event> events() {
        return events;
    }

    long count(Fate fate) {
        return events.stream().filter(e -> e.fate() == fate).count();
    }

    /** The downstream's behaviour for this load. */
    TestHttpServer.EventScript script() {
        return (id, arrival) -> {
            Event e = byId.get(id);
            if (e == null) {
                return 400;
            }
            return switch (e.fate()) {
                case OK -> 200;
                case TRANSIENT -> arrival <= 2 ? 503 : 200;
                case DOOMED -> 503;
            };
        };
    }

    /** Produces every event, in sequence order per key, with its id in the {@code event-id} header. */
    void produce(KafkaBroker broker, String topic) {
        for (Event e : events) {
            broker.produce(topic, e.key(), "seq=" + e.seq(), Map.of("event-id", e.id()));
        }
    }

    /** Distinct event ids found in the given records. */
    static Set<String> ids(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(r -> header(r, LadderHeaders.EVENT_ID)).collect(Collectors.toSet());
    }

    /** True once every event is in the output or the dead-letter topic. */
    boolean settled(List<ConsumerRecord<String, byte[]>> out, List<ConsumerRecord<String, byte[]>> dlt) {
        Set<String> seen = new HashSet<>(ids(out));
        seen.addAll(ids(dlt));
        return seen.containsAll(byId.keySet());
    }

    /** Every event in exactly the topic its fate says, once; each key's output in sequence order. */
    void assertExactlyOnceInOrder(List<ConsumerRecord<String, byte[]>> out, List<ConsumerRecord<String, byte[]>> dlt) {
        Map<String, Long> outCounts = countById(out);
        Map<String, Long> dltCounts = countById(dlt);
        assertThat(outCounts)
                .as("events written to the output more than once")
                .allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1L));
        assertThat(dltCounts)
                .as("events dead-lettered more than once")
                .allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1L));
        assertThat(outCounts.keySet())
                .as("events in the output")
                .containsExactlyInAnyOrderElementsOf(idsWith(f -> f != Fate.DOOMED));
        assertThat(dltCounts.keySet())
                .as("events in the dead-letter topic")
                .containsExactlyInAnyOrderElementsOf(idsWith(f -> f == Fate.DOOMED));

        // One key lives on one partition, and a poll returns a partition's records in offset order.
        Map<String, List<Integer>> seqByKey = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> r : out) {
            seqByKey.computeIfAbsent(r.key(), k -> new ArrayList<>())
                    .add(Integer.parseInt(utf8(r.value()).substring(4)));
        }
        assertThat(seqByKey)
                .as("output sequence per key")
                .allSatisfy((key, seqs) -> assertThat(seqs).as(key).isSorted());
    }

    private List<String> idsWith(Function<Fate, Boolean> which) {
        return events.stream().filter(e -> which.apply(e.fate())).map(Event::id).toList();
    }

    private static Map<String, Long> countById(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream()
                .collect(Collectors.groupingBy(r -> header(r, LadderHeaders.EVENT_ID), Collectors.counting()));
    }
}
