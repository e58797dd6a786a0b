package dev.ladder.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.avro.RetryEnvelope;
import dev.ladder.kernel.LadderMetrics;
import dev.ladder.policy.LadderSettings;
import dev.ladder.serde.AvroCodec;
import dev.ladder.serde.EnvelopeBytes;
import dev.ladder.serde.Envelopes;
import dev.ladder.serde.RetryStores;
import io.micrometer.core.instrument.Counter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.BiFunction;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of mutated tier records (bit flips, truncations, length bombs, spliced garbage, field
 * values no Ladder writes), seeded so a failure replays. Whatever the bytes, no exception escapes
 * the processor and every input ends in exactly one place: the output topic (it ran), the
 * dead-letter topic (bytes untouched), or the duplicate count (its id had already finished).
 */
class EnvelopeFuzzTest {

    static final long SEED = 20260112L;
    static final int CASES = 3_000;
    static final String TIER_1 = "orders-retry-1m";
    /** Past every due time a tier record may carry (see EnvelopeChecks.latestDue). */
    static final Duration PAST_ANY_DUE = Duration.ofDays(8);

    static final long[] BOMBS = {
        Integer.MAX_VALUE,
        Integer.MAX_VALUE - 8,
        Integer.MAX_VALUE - 16,
        1L << 31,
        1L << 40,
        Long.MAX_VALUE,
        -1,
        Integer.MIN_VALUE,
        Long.MIN_VALUE,
        1_000_000
    };
    static final String[] MARKERS = {"VALUE-MARK", "HEADER-MARK", "ERROR-MARK", "orders", "trace"};

    @TempDir
    Path stateDir;

    private LadderDriver ladder;

    @AfterEach
    void close() {
        if (ladder != null) {
            ladder.close();
        }
    }

    @Test
    void shouldSendEveryMutatedTierRecordToExactlyOnePlaceWithoutAnExceptionEscaping() {
        // given
        Random random = new Random(SEED);
        LadderSettings settings = CraftedEnvelopeTest.settings();
        ScriptedHandler handler = ScriptedHandler.alwaysSucceeds();
        ladder = new LadderDriver(settings, handler, StreamsConfig.EXACTLY_ONCE_V2, stateDir);
        List<Mutation> mutations = mutations();
        Map<String, Integer> places = new TreeMap<>();
        long now = LadderDriver.START.toEpochMilli();

        for (int i = 0; i < CASES; i++) {
            String key = "key-" + i;
            RetryEnvelope valid = CraftedEnvelopeTest.envelope("fuzz-" + i, key, now);
            Mutation mutation = mutations.get(random.nextInt(mutations.size()));
            byte[] bytes = mutation.apply(valid, random);
            String label = "case " + i + " (" + mutation.name() + "): "
                    + HexFormat.of().formatHex(bytes);
            double duplicates = duplicates();

            // when the record lands on the first tier topic and every due time passes
            try {
                ladder.sendRaw(
                        TIER_1,
                        utf8(key),
                        bytes,
                        new RecordHeader(dev.ladder.kernel.LadderHeaders.EVENT_ID, utf8("fuzz-" + i)));
                ladder.advance(PAST_ANY_DUE);
            } catch (RuntimeException e) {
                throw new AssertionError("an exception escaped the processor in " + label, e);
            }
            now += PAST_ANY_DUE.toMillis();

            // then it is in exactly one place
            List<TestRecord<byte[], byte[]>> dead =
                    ladder.read(settings.topics().deadLetter());
            List<TestRecord<byte[], byte[]>> out =
                    ladder.read(settings.topics().output().orElseThrow());
            int retried =
                    ladder.read(TIER_1).size() + ladder.read("orders-retry-5m").size();
            int dropped = (int) (duplicates() - duplicates);
            assertThat(dead.size() + out.size() + retried + dropped).as(label).isEqualTo(1);
            if (!dead.isEmpty()) {
                RetryEnvelope letter = AvroCodec.ENVELOPE.decode(dead.get(0).value());
                assertThat(Envelopes.bytes(letter.getValue())).as(label).isEqualTo(bytes);
                assertThat(letter.getDeadLetterReason()).as(label).startsWith("invalid record on " + TIER_1 + ": ");
            }
            places.merge(dead.isEmpty() ? (out.isEmpty() ? "duplicate" : "output") : "dead-letter", 1, Integer::sum);
        }

        // and nothing is left behind in the stores
        assertThat(count(RetryStores.TIMERS)).isZero();
        assertThat(count(RetryStores.KEYS)).isZero();
        assertThat(count(RetryStores.PARKED)).isZero();
        assertThat(places.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(CASES);
        System.out.println("EnvelopeFuzzTest: " + CASES + " cases, seed " + SEED + ": " + places);
    }

    record Mutation(String name, BiFunction<RetryEnvelope, Random, byte[]> apply) {
        byte[] apply(RetryEnvelope envelope, Random random) {
            return apply.apply(envelope, random);
        }
    }

    static List<Mutation> mutations() {
        return List.of(
                new Mutation("bit flips", (e, r) -> flip(AvroCodec.ENVELOPE.encode(e), r, 0)),
                new Mutation("bit flips in the body", (e, r) -> flip(AvroCodec.ENVELOPE.encode(e), r, 10)),
                new Mutation("truncation", (e, r) -> {
                    byte[] bytes = AvroCodec.ENVELOPE.encode(e);
                    return Arrays.copyOf(bytes, r.nextInt(bytes.length));
                }),
                new Mutation(
                        "length bomb on a field",
                        (e, r) -> EnvelopeBytes.withLength(
                                e, MARKERS[r.nextInt(MARKERS.length)], BOMBS[r.nextInt(BOMBS.length)])),
                new Mutation("varint spliced anywhere", (e, r) -> {
                    byte[] bytes = AvroCodec.ENVELOPE.encode(e);
                    int at = 10 + r.nextInt(bytes.length - 10);
                    return EnvelopeBytes.splice(
                            bytes, at, r.nextInt(3), EnvelopeBytes.zigzag(BOMBS[r.nextInt(BOMBS.length)]));
                }),
                new Mutation("random run overwritten", (e, r) -> {
                    byte[] bytes = AvroCodec.ENVELOPE.encode(e);
                    int at = r.nextInt(bytes.length);
                    int length = Math.min(bytes.length - at, 1 + r.nextInt(8));
                    for (int i = 0; i < length; i++) {
                        bytes[at + i] = (byte) r.nextInt(256);
                    }
                    return bytes;
                }),
                new Mutation("random bytes inserted", (e, r) -> {
                    byte[] bytes = AvroCodec.ENVELOPE.encode(e);
                    byte[] insert = new byte[1 + r.nextInt(6)];
                    r.nextBytes(insert);
                    return EnvelopeBytes.splice(bytes, r.nextInt(bytes.length + 1), 0, insert);
                }),
                new Mutation("field values no Ladder writes", (e, r) -> {
                    long big = BOMBS[r.nextInt(BOMBS.length)];
                    switch (r.nextInt(8)) {
                        case 0 -> e.setOriginalPartition((int) big);
                        case 1 -> e.setDueTime(big);
                        case 2 -> e.setAttempts((int) big);
                        case 3 -> e.setTierAttempt((int) big);
                        case 4 -> e.setTier((int) big);
                        case 5 -> e.setOriginalTimestamp(big);
                        case 6 -> e.setFirstAttemptTime(big);
                        default -> e.getErrors().get(0).setTier((int) big);
                    }
                    return AvroCodec.ENVELOPE.encode(e);
                }));
    }

    static byte[] flip(byte[] bytes, Random random, int from) {
        int flips = 1 + random.nextInt(4);
        for (int i = 0; i < flips; i++) {
            int at = from + random.nextInt(bytes.length - from);
            bytes[at] ^= (byte) (1 << random.nextInt(8));
        }
        return bytes;
    }

    private double duplicates() {
        return ladder.metrics().registry().find(LadderMetrics.EVENTS).tag("outcome", "duplicate").counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }

    private long count(String store) {
        KeyValueStore<Bytes, byte[]> kv = ladder.store(store);
        long n = 0;
        try (KeyValueIterator<Bytes, byte[]> it = kv.all()) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
