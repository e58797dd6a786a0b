package dev.ladder.app.dlt;

import static dev.ladder.app.dlt.DeadLetterReaderTest.envelope;
import static dev.ladder.app.dlt.DeadLetterReaderTest.record;
import static dev.ladder.app.dlt.DeadLetterReaderTest.text;
import static dev.ladder.app.dlt.DeadLetterReaderTest.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.app.dlt.DeadLetter.Format;
import dev.ladder.app.dlt.ReplayRecords.Replay;
import dev.ladder.app.dlt.ReplayRecords.Target;
import dev.ladder.avro.ErrorRecord;
import dev.ladder.avro.RetryEnvelope;
import dev.ladder.kernel.LadderHeaders;
import dev.ladder.serde.AvroCodec;
import dev.ladder.serde.AvroEnvelopeSerde;
import dev.ladder.testing.FramedEnvelopeSerde;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

/** The dead-letter reader reads envelopes with the configured envelope serde, not a fixed codec. */
class DeadLetterReaderSerdeTest {

    private static final Target ORDERS = Target.of("orders", 4, "event-id");

    private final Serde<RetryEnvelope> framed = framed();
    private final DeadLetterReader withFramed = new DeadLetterReader("event-id", framed);
    private final DeadLetterReader withDefault = new DeadLetterReader("event-id", new AvroEnvelopeSerde());

    @Test
    void shouldReadEnvelopesInTheConfiguredSerdesFormat() {
        // given a dead letter the processor wrote with the framing serde, with Ladder's headers
        byte[] value = framed.serializer().serialize("orders-dlt", envelope("e-1", "K", "payload"));
        RecordHeaders headers = laddersHeaders("e-1");

        // when
        DeadLetter d = withFramed.read(record(value, headers));

        // then
        assertThat(d.format()).isEqualTo(Format.LADDER);
        assertThat(d.eventId()).isEqualTo("e-1");
        assertThat(text(d.value())).isEqualTo("payload");
        assertThat(d.attempts()).isEqualTo(4);
        assertThat(d.internal()).isNull();
    }

    @Test
    void shouldNotReadTheFramedFormatWithTheDefaultSerde() {
        // the framing is really another format: Ladder's default does not take it for an envelope
        byte[] value = framed.serializer().serialize("orders-dlt", envelope("e-1", "K", "payload"));

        DeadLetter d = withDefault.read(record(value, laddersHeaders("e-1")));

        assertThat(d.format()).isNotEqualTo(Format.LADDER);
        assertThat(text(d.value())).startsWith(FramedEnvelopeSerde.DEFAULT_PREFIX);
    }

    @Test
    void shouldStillReadDeadLettersWrittenInTheDefaultEncodingBeforeASwitch() {
        byte[] value = AvroCodec.ENVELOPE.encode(envelope("e-old", "K", "old-payload"));

        DeadLetter d = withFramed.read(record(value, laddersHeaders("e-old")));

        assertThat(d.format()).isEqualTo(Format.LADDER);
        assertThat(text(d.value())).isEqualTo("old-payload");
    }

    @Test
    void shouldShowALadderRecordTheSerdeCannotReadAsRawAndNotAnEvent() {
        // given a record with Ladder's headers whose value the configured serde refuses
        DeadLetter d = withFramed.read(record(utf8("garbage"), laddersHeaders("e-2")));

        // then it is shown raw with the serde's reason, and a replay skips it
        assertThat(d.format()).isEqualTo(Format.RAW);
        assertThat(d.reason()).startsWith("undecodable Ladder envelope: not a framed envelope");
        assertThat(d.internal()).startsWith("a Ladder envelope this version cannot read");
        assertThat(ReplayRecords.plan(d, ORDERS, withFramed)).isInstanceOf(Replay.Skip.class);
    }

    @Test
    void shouldReplayTheEventAnUnreadableTierRecordWrapsWhenTheConfiguredSerdeReadsIt() {
        // given the dead letter of a tier record whose bytes are a framed envelope
        RetryEnvelope inner = envelope("e-7", "K", "the-event");
        inner.setDeadLetterReason(null);
        inner.setDeadLetterTime(null);
        RetryEnvelope outer = envelope("invalid-orders-retry-1m-2@4", "K", "x");
        outer.setOriginalTopic("orders-retry-1m");
        outer.setValue(ByteBuffer.wrap(framed.serializer().serialize("orders-retry-1m", inner)));
        outer.setHeaders(List.of());
        outer.setErrors(List.of(ErrorRecord.newBuilder()
                .setTimestamp(1)
                .setTopic("orders-retry-1m")
                .setTier(1)
                .setAttempt(0)
                .setKind("INVALID_RECORD")
                .setMessage("unknown RetryEnvelope schema version")
                .build()));
        byte[] value = framed.serializer().serialize("orders-dlt", outer);

        // when
        Replay replay = ReplayRecords.plan(withFramed.read(record(value, new RecordHeaders())), ORDERS, withFramed);

        // then the wrapped event is replayed, not the envelope's bytes
        assertThat(replay).isInstanceOfSatisfying(Replay.Send.class, send -> {
            assertThat(text(send.record().value())).isEqualTo("the-event");
            assertThat(send.event().eventId()).isEqualTo("e-7");
        });
    }

    private static RecordHeaders laddersHeaders(String eventId) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(LadderHeaders.EVENT_ID, utf8(eventId));
        headers.add(LadderHeaders.DLT_ORIGINAL_TOPIC, utf8("orders"));
        headers.add(LadderHeaders.DLT_EXCEPTION_FQCN, utf8("java.net.ConnectException"));
        return headers;
    }

    private static Serde<RetryEnvelope> framed() {
        FramedEnvelopeSerde serde = new FramedEnvelopeSerde();
        serde.configure(Map.of(), false);
        return serde;
    }
}
