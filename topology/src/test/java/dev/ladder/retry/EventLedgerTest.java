package dev.ladder.retry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.avro.EventStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finished ids are forgotten after the retention, at whatever rate they finished. */
class EventLedgerTest {

    static final long T0 = 1_767_225_600_000L;

    @TempDir
    Path stateDir;

    private KeyValueStore<Bytes, byte[]> open(String name) {
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "event-ledger-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        MockProcessorContext<Object, Object> context =
                new MockProcessorContext<>(config, new TaskId(0, 0), stateDir.toFile());
        KeyValueStore<Bytes, byte[]> kv = Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(name), Serdes.Bytes(), Serdes.ByteArray())
                .withLoggingDisabled()
                .build();
        kv.init(context.getStateStoreContext(), kv);
        return kv;
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
    void shouldForgetAllExpiredIdsInOneCallWhateverTheFinishRate() {
        // given 12,500 ids that finished within one second, a minute's retention
        KeyValueStore<Bytes, byte[]> events = open("events");
        KeyValueStore<Bytes, byte[]> expiry = open("expiry");
        EventLedger ledger = new EventLedger(events, expiry, () -> Duration.ofMinutes(1));
        for (int i = 0; i < 12_500; i++) {
            ledger.put(finished("e" + i, T0 + i / 13));
        }

        // when one punctuation expires them, 1,000 entries a step, with time to spare
        int forgotten = ledger.expire(
                T0 + 61_000, 1_000, System.nanoTime() + Duration.ofMinutes(1).toNanos());

        // then all are forgotten (one step of 1,000 per punctuation would need 13 punctuations)
        assertThat(forgotten).isEqualTo(12_500);
        assertThat(ledger.get("e0")).isNull();
        assertThat(ledger.get("e12499")).isNull();
        events.close();
        expiry.close();
    }

    @Test
    void shouldStopAtTheDeadlineAndGoOnNextTime() {
        // given 3,000 expired ids
        KeyValueStore<Bytes, byte[]> events = open("events");
        KeyValueStore<Bytes, byte[]> expiry = open("expiry");
        EventLedger ledger = new EventLedger(events, expiry, () -> Duration.ofMinutes(1));
        for (int i = 0; i < 3_000; i++) {
            ledger.put(finished("e" + i, T0));
        }

        // when the deadline has already passed: one step only
        int first = ledger.expire(T0 + 61_000, 1_000, System.nanoTime() - 1);

        // then one step went, and the next call finishes the rest
        assertThat(first).isEqualTo(1_000);
        assertThat(ledger.expire(
                        T0 + 61_000,
                        1_000,
                        System.nanoTime() + Duration.ofMinutes(1).toNanos()))
                .isEqualTo(2_000);
        events.close();
        expiry.close();
    }
}
