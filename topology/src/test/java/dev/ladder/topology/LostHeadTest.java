package dev.ladder.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.avro.KeyState;
import dev.ladder.avro.RetryEnvelope;
import dev.ladder.handler.Outcome;
import dev.ladder.kernel.LadderHeaders;
import dev.ladder.kernel.LadderMetrics;
import dev.ladder.policy.BreakerSettings;
import dev.ladder.policy.LadderSettings;
import dev.ladder.policy.LiveSettings;
import dev.ladder.policy.RetryPolicy;
import dev.ladder.policy.Tier;
import dev.ladder.serde.AvroCodec;
import dev.ladder.serde.AvroEnvelopeSerde;
import dev.ladder.serde.RetryStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A key's head that can never come back (its retry record unreadable, or lost) must not block the
 * key for ever, unseen: the dead-key policy releases its followers, or holds the key with the reason
 * where {@code keys blocked} shows it and {@code keys release} frees it.
 */
class LostHeadTest {

    static final String HEAD_ID = "orders-0@0";

    @TempDir
    Path stateDir;

    private LadderDriver ladder;
    private final ScriptedHandler handler = new ScriptedHandler(
            e -> "head".equals(ScriptedHandler.text(e.value())) ? Outcome.retry("busy") : Outcome.success());

    @AfterEach
    void close() {
        if (ladder != null) {
            ladder.close();
        }
    }

    static LadderSettings settings(LadderSettings.DeadKeyPolicy policy, Duration delay) {
        return LadderSettings.builder("orders")
                .policy(RetryPolicy.of(Tier.of(delay, 3)))
                .onDeadLetter(policy)
                // these tests fail many first attempts on purpose; the breaker would defer them
                .breaker(BreakerSettings.disabled())
                .build();
    }

    LadderDriver start(LadderSettings settings, Serde<RetryEnvelope> serde) {
        ladder = new LadderDriver(
                new LiveSettings(settings),
                handler,
                null,
                serde,
                StreamsConfig.EXACTLY_ONCE_V2,
                stateDir,
                LadderDriver.START);
        return ladder;
    }

    @Test
    void shouldLetTheFollowersGoOnWhenTheHeadsRetryIsUnreadableUnderTheReleasePolicy() {
        // given a newer Ladder's envelope version on the tier topic, unknown to this one
        start(settings(LadderSettings.DeadKeyPolicy.RELEASE, Duration.ofMinutes(1)), new NewerVersionOnTiers());

        // when K's head fails (its retry comes back unreadable) and a follower arrives
        ladder.send("K", "head");
        ladder.send("K", "f1");

        // then the retry is a dead letter with the reason, the head is dead-lettered, the follower ran
        assertThat(ladder.deadLetters())
                .singleElement()
                .satisfies(d -> assertThat(d.getDeadLetterReason()).contains("unknown RetryEnvelope schema version"));
        assertThat(ladder.status(HEAD_ID).getStatus()).isEqualTo("DEAD_LETTERED");
        assertThat(ladder.status(HEAD_ID).getLastError()).contains("INVALID_RECORD");
        assertThat(handler.values()).containsExactly("head", "f1");
        assertThat(ladder.keyState("K")).isNull();
    }

    @Test
    void shouldHoldTheKeyWithTheReasonWhenTheHeadsRetryIsUnreadableUnderTheHoldPolicy() {
        // given
        start(settings(LadderSettings.DeadKeyPolicy.HOLD, Duration.ofMinutes(1)), new NewerVersionOnTiers());

        // when
        ladder.send("K", "head");
        ladder.send("K", "f1");

        // then K is held, with the reason the blocked-keys listing shows, and the follower waits;
        // an operator's release lets it run
        assertHeldWithOneFollowerUntilReleased(
                "event " + HEAD_ID + " dead-lettered", "is unreadable", "unknown RetryEnvelope schema version");
    }

    @Test
    void shouldReleaseTheFollowersOfAHeadWhoseRetryRecordIsLostAnHourAfterItWasDue() {
        // given K's head failed, and its retry record never made it back (e.g. deleted by retention)
        start(settings(LadderSettings.DeadKeyPolicy.RELEASE, Duration.ofMinutes(1)), new AvroEnvelopeSerde());
        ladder.send("K", "head");
        loseTheTimers();
        ladder.send("K", "f1");

        // when a minute, then an hour past its due time goes by
        ladder.advance(Duration.ofMinutes(2));
        List<String> before = List.copyOf(handler.values());
        ladder.advance(Duration.ofMinutes(60));

        // then the follower waited that long, then ran
        assertThat(before).containsExactly("head");
        assertThat(handler.values()).containsExactly("head", "f1");
        assertThat(ladder.keyState("K")).isNull();
    }

    @Test
    void shouldHoldAndThenReleaseTheKeyOfAHeadWhoseRetryRecordIsLost() {
        // given
        start(settings(LadderSettings.DeadKeyPolicy.HOLD, Duration.ofMinutes(1)), new AvroEnvelopeSerde());
        ladder.send("K", "head");
        loseTheTimers();
        ladder.send("K", "f1");

        // when an hour past its due time goes by
        ladder.advance(Duration.ofMinutes(62));

        // then K is held with the reason, its follower still parked, until the operator releases it
        assertHeldWithOneFollowerUntilReleased(
                "key blocked: its head event " + HEAD_ID + " was due at", "retry record is lost");
    }

    private void assertHeldWithOneFollowerUntilReleased(String... reason) {
        KeyState held = ladder.keyState("K");
        assertThat(held.getHeld()).isTrue();
        assertThat(held.getHeldReason()).contains(reason);
        assertThat(held.getParked()).isEqualTo(1);
        assertThat(blockedKeys()).isEqualTo(1.0);
        assertThat(handler.values()).containsExactly("head");

        release("K");
        assertThat(handler.values()).containsExactly("head", "f1");
        assertThat(ladder.keyState("K")).isNull();
    }

    @Test
    void shouldWaitForAHeadWhoseRetryIsMerelyFarOff() {
        // given a head due in three hours, its retry waiting in the timers store
        start(settings(LadderSettings.DeadKeyPolicy.RELEASE, Duration.ofHours(3)), new AvroEnvelopeSerde());
        ladder.send("K", "head");
        ladder.send("K", "f1");

        // when two hours go by
        ladder.advance(Duration.ofHours(2));

        // then the follower still waits behind it
        assertThat(handler.values()).containsExactly("head");
        assertThat(ladder.keyState("K").getHeadEventId()).isEqualTo(HEAD_ID);
    }

    @Test
    void shouldSweepEveryKeyInBoundedSteps() {
        // given 250 keys whose heads' retries are lost, each with a follower
        start(settings(LadderSettings.DeadKeyPolicy.RELEASE, Duration.ofMinutes(1)), new AvroEnvelopeSerde());
        for (int i = 0; i < 250; i++) {
            ladder.send("K" + i, "head");
        }
        loseTheTimers(250);
        for (int i = 0; i < 250; i++) {
            ladder.send("K" + i, "f" + i);
        }

        // when the hour passes, then three punctuations run (100 keys each at most)
        ladder.advance(Duration.ofMinutes(62));
        long afterOne = handler.values().stream().filter(v -> v.startsWith("f")).count();
        ladder.advance(Duration.ofSeconds(1));
        ladder.advance(Duration.ofSeconds(1));

        // then every follower ran
        assertThat(afterOne).isEqualTo(100);
        assertThat(handler.values().stream().filter(v -> v.startsWith("f"))).hasSize(250);
    }

    private void loseTheTimers() {
        loseTheTimers(1);
    }

    private void loseTheTimers(int expected) {
        KeyValueStore<Bytes, byte[]> timers = ladder.store(RetryStores.TIMERS);
        List<Bytes> keys = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> it = timers.all()) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        assertThat(keys).hasSize(expected);
        keys.forEach(timers::delete);
    }

    private void release(String key) {
        ladder.sendRaw(
                "orders-retry-1m",
                key.getBytes(StandardCharsets.UTF_8),
                null,
                new RecordHeader(
                        LadderHeaders.CONTROL, LadderHeaders.CONTROL_RELEASE_KEY.getBytes(StandardCharsets.UTF_8)));
    }

    private double blockedKeys() {
        return ladder.metrics()
                .registry()
                .get(LadderMetrics.BLOCKED_KEYS)
                .gauge()
                .value();
    }

    /** Writes tier records as a newer Ladder would: a schema fingerprint this one does not know. */
    static final class NewerVersionOnTiers implements Serde<RetryEnvelope> {
        @Override
        public Serializer<RetryEnvelope> serializer() {
            return (topic, envelope) -> {
                byte[] bytes = AvroCodec.ENVELOPE.encode(envelope);
                if (topic.contains("-retry-")) {
                    Arrays.fill(bytes, 2, 10, (byte) 0x77);
                }
                return bytes;
            };
        }

        @Override
        public Deserializer<RetryEnvelope> deserializer() {
            return new AvroEnvelopeSerde().deserializer();
        }
    }
}
