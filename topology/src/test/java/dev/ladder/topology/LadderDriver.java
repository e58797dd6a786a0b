package dev.ladder.topology;

import dev.ladder.avro.EventStatus;
import dev.ladder.avro.KeyState;
import dev.ladder.avro.RetryEnvelope;
import dev.ladder.downstream.DownstreamGate;
import dev.ladder.handler.EventHandler;
import dev.ladder.kernel.LadderClock;
import dev.ladder.kernel.LadderMetrics;
import dev.ladder.policy.LadderSettings;
import dev.ladder.policy.LiveSettings;
import dev.ladder.serde.AvroCodec;
import dev.ladder.serde.AvroEnvelopeSerde;
import dev.ladder.serde.RetryStores;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;

/** A TopologyTestDriver around the ladder topology, with a fixed start time and helpers. */
final class LadderDriver implements AutoCloseable {

    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final LadderSettings settings;
    private final TopologyTestDriver driver;
    private final TestInputTopic<byte[], byte[]> main;
    private final LadderMetrics metrics = LadderMetrics.noop();
    /** The application clock's sources, when the driver has one: wall and monotonic time. */
    private final AtomicLong wall;

    private final AtomicLong nanos = new AtomicLong();
    private final boolean applicationClock;

    LadderDriver(LadderSettings settings, EventHandler handler, String guarantee, Path stateDir) {
        this(settings, handler, guarantee, stateDir, START);
    }

    LadderDriver(LadderSettings settings, EventHandler handler, String guarantee, Path stateDir, Instant start) {
        this(new LiveSettings(settings), handler, null, guarantee, stateDir, start);
    }

    /** A driver over live settings and a given downstream gate (null: the one the settings describe). */
    LadderDriver(
            LiveSettings live,
            EventHandler handler,
            DownstreamGate gate,
            String guarantee,
            Path stateDir,
            Instant start) {
        this(live, handler, gate, new AvroEnvelopeSerde(), guarantee, stateDir, start);
    }

    /** A driver with a given envelope serde, each task on its context's (the driver's mock) time. */
    LadderDriver(
            LiveSettings live,
            EventHandler handler,
            DownstreamGate gate,
            Serde<RetryEnvelope> serde,
            String guarantee,
            Path stateDir,
            Instant start) {
        this(live, handler, gate, serde, guarantee, stateDir, start, false);
    }

    /**
     * A driver whose topology runs on an application clock, as the app does ({@link
     * LadderClock#system()}), over a wall and a monotonic time the driver moves: {@link #advance}
     * moves both, {@link #stepWallClock} only the wall.
     */
    static LadderDriver withClock(LadderSettings settings, EventHandler handler, String guarantee, Path stateDir) {
        return new LadderDriver(
                new LiveSettings(settings), handler, null, new AvroEnvelopeSerde(), guarantee, stateDir, START, true);
    }

    private LadderDriver(
            LiveSettings live,
            EventHandler handler,
            DownstreamGate gate,
            Serde<RetryEnvelope> serde,
            String guarantee,
            Path stateDir,
            Instant start,
            boolean applicationClock) {
        LadderSettings settings = live.get();
        this.settings = settings;
        this.wall = new AtomicLong(start.toEpochMilli());
        this.applicationClock = applicationClock;
        Properties props = LadderTopology.streamsDefaults();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "ladder-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        DownstreamGate effective =
                gate != null ? gate : DownstreamGate.of(settings.breaker(), settings.rateLimit(), metrics);
        this.driver = new TopologyTestDriver(
                LadderTopology.build(
                        live,
                        handler,
                        effective,
                        serde,
                        metrics,
                        applicationClock ? new LadderClock(wall::get, nanos::get) : null),
                props,
                start);
        this.main = driver.createInputTopic(
                settings.topics().main(), new ByteArraySerializer(), new ByteArraySerializer(), start, Duration.ZERO);
    }

    /** Sends a keyed event to the main topic. */
    void send(String key, String value, Header... headers) {
        main.pipeInput(new TestRecord<>(utf8(key), utf8(value), new RecordHeaders(headers), START));
    }

    /** Sends raw bytes to any source topic. */
    void sendRaw(String topic, byte[] key, byte[] value) {
        driver.createInputTopic(topic, new ByteArraySerializer(), new ByteArraySerializer())
                .pipeInput(key, value);
    }

    /** Sends raw bytes with headers to any source topic. */
    void sendRaw(String topic, byte[] key, byte[] value, Header... headers) {
        driver.createInputTopic(topic, new ByteArraySerializer(), new ByteArraySerializer())
                .pipeInput(new TestRecord<>(key, value, new RecordHeaders(headers), START));
    }

    /** Lets time pass, firing punctuations on the way. */
    void advance(Duration duration) {
        wall.addAndGet(duration.toMillis());
        nanos.addAndGet(duration.toNanos());
        driver.advanceWallClockTime(duration);
    }

    /** Lets time pass in steps of the punctuation interval. */
    void advanceInSteps(Duration total) {
        Duration step = settings.punctuationInterval();
        for (Duration done = Duration.ZERO; done.compareTo(total) < 0; done = done.plus(step)) {
            advance(step);
        }
    }

    /**
     * Steps the wall clock (back when negative) while no time passes: the application clock's wall
     * moves, its monotonic time does not. Kafka Streams' time (the driver's mock time, which fires
     * the punctuations) steps forward too. It steps back only without an application clock: the
     * app's Kafka Streams runs on {@link LadderClock#streamsTime()}, which never goes back, while an
     * embedding application's may run on the system clock, which does.
     */
    void stepWallClock(Duration step) {
        wall.addAndGet(step.toMillis());
        if (!step.isNegative()) {
            driver.advanceWallClockTime(step);
        } else if (!applicationClock) {
            setMockTimeBack(step.negated());
        }
    }

    /** TopologyTestDriver refuses to move its clock back; its mock time's counter is the only way. */
    private void setMockTimeBack(Duration back) {
        try {
            Field time = TopologyTestDriver.class.getDeclaredField("mockWallClockTime");
            time.setAccessible(true);
            Object mock = time.get(driver);
            Field millis = mock.getClass().getDeclaredField("timeMs");
            millis.setAccessible(true);
            ((AtomicLong) millis.get(mock)).addAndGet(-back.toMillis());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("this TopologyTestDriver's mock time cannot be set back", e);
        }
    }

    /** Everything written to a topic since the last read. */
    List<TestRecord<byte[], byte[]>> read(String topic) {
        TestOutputTopic<byte[], byte[]> out =
                driver.createOutputTopic(topic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        return out.readRecordsToList();
    }

    /** The dead letters written since the last read, decoded. */
    List<RetryEnvelope> deadLetters() {
        return read(settings.topics().deadLetter()).stream()
                .map(r -> AvroCodec.ENVELOPE.decode(r.value()))
                .toList();
    }

    /** An event's status, or null. */
    EventStatus status(String eventId) {
        KeyValueStore<Bytes, byte[]> store = driver.getKeyValueStore(RetryStores.EVENTS);
        byte[] bytes = store.get(Bytes.wrap(utf8(eventId)));
        if (bytes != null) {
            return AvroCodec.EVENT_STATUS.decode(bytes);
        }
        org.apache.kafka.streams.state.WindowStore<Bytes, byte[]> finished =
                driver.getWindowStore(RetryStores.FINISHED);
        try (var it = finished.backwardFetch(Bytes.wrap(utf8(eventId)), 0L, Long.MAX_VALUE)) {
            return it.hasNext() ? AvroCodec.EVENT_STATUS.decode(it.next().value) : null;
        }
    }

    /** A key's ordering state, or null. */
    KeyState keyState(String key) {
        KeyValueStore<Bytes, byte[]> store = driver.getKeyValueStore(RetryStores.KEYS);
        byte[] bytes = store.get(Bytes.wrap(utf8(key)));
        return bytes == null ? null : AvroCodec.KEY_STATE.decode(bytes);
    }

    KeyValueStore<Bytes, byte[]> store(String name) {
        return driver.getKeyValueStore(name);
    }

    LadderMetrics metrics() {
        return metrics;
    }

    TopologyTestDriver driver() {
        return driver;
    }

    static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        driver.close();
    }
}
