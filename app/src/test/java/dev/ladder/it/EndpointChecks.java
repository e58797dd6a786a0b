package dev.ladder.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.testing.TestHttpServer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks on what the downstream ({@link TestHttpServer}) saw of a keyed load whose event ids are
 * {@code ev-KEY-SEQ} and whose values are {@code seq=SEQ} ({@link KeyedLoad}'s form).
 */
final class EndpointChecks {

    private EndpointChecks() {}

    /** The key part of {@code ev-KEY-SEQ}. */
    static String key(String eventId) {
        return eventId.substring(3, eventId.lastIndexOf('-'));
    }

    /** The sequence part of {@code ev-KEY-SEQ}. */
    static int seq(String eventId) {
        return Integer.parseInt(eventId.substring(eventId.lastIndexOf('-') + 1));
    }

    /**
     * Every call carried a known event id as {@code Idempotency-Key}, with that event's own value as
     * body: a call re-run after a crash or a rebalance is recognisable by the downstream.
     */
    static void assertEveryCallCarriesItsEventId(List<TestHttpServer.Call> all, Set<String> eventIds) {
        assertThat(all)
                .as("calls whose Idempotency-Key or body is not their event's")
                .allSatisfy(a -> {
                    assertThat(a.idempotencyKey()).as("Idempotency-Key").isIn(eventIds);
                    assertThat(a.body()).as("body of " + a.eventId()).isEqualTo("seq=" + seq(a.eventId()));
                    assertThat(a.attempt())
                            .as("Ladder-Attempt of " + a.eventId())
                            .isNotBlank();
                });
    }

    /**
     * Per key, the events' first successful calls (status 2xx) came in sequence order: an event
     * was never delivered before an earlier event of its key.
     */
    static void assertFirstSuccessesInKeyOrder(List<TestHttpServer.Call> all) {
        Set<String> delivered = new HashSet<>();
        Map<String, List<Integer>> firstSuccesses = new LinkedHashMap<>();
        for (TestHttpServer.Call a : all) {
            if (a.status() / 100 == 2 && delivered.add(a.eventId())) {
                firstSuccesses
                        .computeIfAbsent(key(a.eventId()), k -> new ArrayList<>())
                        .add(seq(a.eventId()));
            }
        }
        assertThat(firstSuccesses)
                .as("sequence of first successful calls per key at the endpoint")
                .isNotEmpty()
                .allSatisfy((key, seqs) -> assertThat(seqs).as(key).isSorted());
    }
}
