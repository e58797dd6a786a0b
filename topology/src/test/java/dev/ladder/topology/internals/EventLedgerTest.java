package dev.ladder.topology.internals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.avro.EventStatus;
import dev.ladder.serde.AvroCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finished ids are remembered for the retention and then forgotten, at whatever rate they finished;
 * an event that succeeds at once costs one store write.
 */
class EventLedgerTest {

    static final long T0 = 1_767_225_600_000L;

    @TempDir
    Path stateDir;

    private KeyValueStore<Bytes, byte[]> open(String name) {
        return TestStores.keyValue(stateDir, name);
    }

    private WindowStore<Bytes, byte[]> openFinished(Duration retention) {
        return TestStores.window(stateDir, "finished", retention);
    }

    private static long count(KeyValueStore<Bytes, byte[]> store) {
        long n = 0;
        try (var it = store.all()) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }

    private static EventStatus retrying(String id, long at) {
        EventStatus status = finished(id, at);
        status.setStatus("RETRYING");
        return status;
    }

    /** A finished status as Ladder versions before the finished store wrote it: events store + index. */
    private static void legacy(
            KeyValueStore<Bytes, byte[]> events,
            KeyValueStore<Bytes, byte[]> expiry,
            EventStatus status,
            long expiresAt) {
        byte[] id = status.getEventId().getBytes(StandardCharsets.UTF_8);
        events.put(Bytes.wrap(id), AvroCodec.EVENT_STATUS.encode(status));
        expiry.put(
                Bytes.wrap(ByteBuffer.allocate(8 + id.length)
                        .putLong(expiresAt)
                        .put(id)
                        .array()),
                new byte[0]);
    }

    private static EventStatus finished(String id, long at) {
        return EventStatus.newBuilder()
                .setEventId(id)
                .setStatus("SUCCEEDED")
                .setOriginalTopic("orders")
                .setOriginalPartition(0)
                .setOriginalOffset(0)
                .setAttempts(1)
                .setTier(0)
                .setFirstSeenTime(at)
                .setUpdatedTime(at)
                .build();
    }

    @Test
    void shouldWriteOneEntryForAnEventThatSucceedsAtOnce() {
        // given a ledger with a week's retention
        KeyValueStore<Bytes, byte[]> events = open("events");
        KeyValueStore<Bytes, byte[]> expiry = open("expiry");
        WindowStore<Bytes, byte[]> finished = openFinished(Duration.ofDays(7));
        AtomicLong now = new AtomicLong(T0);
        EventLedger ledger = new EventLedger(events, finished, expiry, () -> Duration.ofDays(7), now::get);

        // when an event never seen before succeeds
        ledger.put(finished("e1", T0));

        // then only the finished store has an entry: no status entry, no expiry entry
        assertThat(count(events)).isZero();
        assertThat(count(expiry)).isZero();
        assertThat(ledger.get("e1").getStatus()).isEqualTo("SUCCEEDED");
    }

    @Test
    void shouldMoveAnEventThatWaitedIntoTheFinishedStore() {
        // given an event in retry
        KeyValueStore<Bytes, byte[]> events = open("events");
        WindowStore<Bytes, byte[]> finished = openFinished(Duration.ofDays(7));
        AtomicLong now = new AtomicLong(T0);
        EventLedger ledger = new EventLedger(events, finished, open("expiry"), () -> Duration.ofDays(7), now::get);
        ledger.put(retrying("e1", T0));
        assertThat(count(events)).isOne();

        // when it succeeds
        now.set(T0 + 5_000);
        ledger.put(finished("e1", T0 + 5_000));

        // then its status entry is gone and the lookup finds it finished
        assertThat(count(events)).isZero();
        assertThat(ledger.get("e1").getStatus()).isEqualTo("SUCCEEDED");
    }

    @Test
    void shouldForgetAFinishedIdOnceTheRetentionRanOut() {
        // given an id finished at T0, a minute's retention
        AtomicLong now = new AtomicLong(T0);
        EventLedger ledger = new EventLedger(
                open("events"),
                openFinished(Duration.ofMinutes(1)),
                open("expiry"),
                () -> Duration.ofMinutes(1),
                now::get);
        ledger.put(finished("e1", T0));

        // then it is known within the minute and unknown after it
        now.set(T0 + 59_000);
        assertThat(ledger.get("e1")).isNotNull();
        now.set(T0 + 61_000);
        assertThat(ledger.get("e1")).isNull();
    }

    @Test
    void shouldApplyAShorterRetentionAtOnce() {
        // given ids finished an hour ago under a week's retention
        AtomicLong now = new AtomicLong(T0);
        AtomicReference<Duration> retention = new AtomicReference<>(Duration.ofDays(7));
        EventLedger ledger = new EventLedger(
                open("events"), openFinished(Duration.ofDays(7)), open("expiry"), retention::get, now::get);
        ledger.put(finished("old", T0));
        now.set(T0 + Duration.ofHours(1).toMillis());
        ledger.put(finished("new", now.get()));

        // when the retention is cut to 30 minutes
        retention.set(Duration.ofMinutes(30));

        // then the hour-old id is forgotten at once and the new one still known
        assertThat(ledger.get("old")).isNull();
        assertThat(ledger.get("new")).isNotNull();
    }

    @Test
    void shouldForgetAllExpiredLegacyIdsInOneCallWhateverTheFinishRate() {
        // given 12,500 ids that an earlier Ladder finished within one second, a minute's retention
        KeyValueStore<Bytes, byte[]> events = open("events");
        KeyValueStore<Bytes, byte[]> expiry = open("expiry");
        for (int i = 0; i < 12_500; i++) {
            legacy(events, expiry, finished("e" + i, T0 + i / 13), T0 + i / 13 + 60_000);
        }
        AtomicLong now = new AtomicLong(T0 + 61_000);
        EventLedger ledger = new EventLedger(
                events, openFinished(Duration.ofMinutes(1)), expiry, () -> Duration.ofMinutes(1), now::get);

        // when one punctuation expires them, 1,000 entries a step, with time to spare
        int forgotten = ledger.expire(
                now.get(), 1_000, System.nanoTime() + Duration.ofMinutes(1).toNanos());

        // then all are forgotten (one step of 1,000 per punctuation would need 13 punctuations)
        assertThat(forgotten).isEqualTo(12_500);
        assertThat(ledger.get("e0")).isNull();
        assertThat(ledger.get("e12499")).isNull();
        assertThat(count(events)).isZero();
    }

    @Test
    void shouldStillKnowALegacyIdWithinItsRetention() {
        // given an id an earlier Ladder finished at T0, a minute's retention
        KeyValueStore<Bytes, byte[]> events = open("events");
        KeyValueStore<Bytes, byte[]> expiry = open("expiry");
        legacy(events, expiry, finished("e1", T0), T0 + 60_000);
        AtomicLong now = new AtomicLong(T0 + 30_000);
        EventLedger ledger = new EventLedger(
                events, openFinished(Duration.ofMinutes(1)), expiry, () -> Duration.ofMinutes(1), now::get);

        // then it is known (a duplicate is still dropped) and not expired early
        assertThat(ledger.expire(now.get(), 1_000)).isZero();
        assertThat(ledger.get("e1").getStatus()).isEqualTo("SUCCEEDED");
    }

    @Test
    void shouldStopAtTheDeadlineAndGoOnNextTime() {
        // given 3,000 expired legacy ids
        KeyValueStore<Bytes, byte[]> events = open("events");
        KeyValueStore<Bytes, byte[]> expiry = open("expiry");
        for (int i = 0; i < 3_000; i++) {
            legacy(events, expiry, finished("e" + i, T0), T0 + 60_000);
        }
        AtomicLong now = new AtomicLong(T0 + 61_000);
        EventLedger ledger = new EventLedger(
                events, openFinished(Duration.ofMinutes(1)), expiry, () -> Duration.ofMinutes(1), now::get);

        // when the deadline has already passed: one step only
        int first = ledger.expire(now.get(), 1_000, System.nanoTime() - 1);

        // then one step went, and the next call finishes the rest
        assertThat(first).isEqualTo(1_000);
        assertThat(ledger.expire(
                        now.get(),
                        1_000,
                        System.nanoTime() + Duration.ofMinutes(1).toNanos()))
                .isEqualTo(2_000);
    }
}
