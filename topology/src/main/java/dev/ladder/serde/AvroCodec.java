package dev.ladder.serde;

import dev.ladder.avro.EventStatus;
import dev.ladder.avro.KeyState;
import dev.ladder.avro.RetryEnvelope;
import dev.ladder.avro.history.SchemaHistory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BadHeaderException;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Avro single-object encoding (a 2-byte marker, the writer schema's 64-bit fingerprint, the
 * binary body) for Ladder's records. No registry is needed: the decoder knows the current schema
 * and every released version from {@link SchemaHistory}, so a record written by an older Ladder
 * still decodes, and a record from an unknown version fails with a clear reason.
 *
 * <p>Instances are thread-safe.
 *
 * @param <T> the generated record class
 */
public final class AvroCodec<T extends SpecificRecord> {

    /** Codec of the retry / dead-letter envelope. */
    public static final AvroCodec<RetryEnvelope> ENVELOPE = new AvroCodec<>(RetryEnvelope.getClassSchema());
    /** Codec of the events store's values. */
    public static final AvroCodec<EventStatus> EVENT_STATUS = new AvroCodec<>(EventStatus.getClassSchema());
    /** Codec of the key-state store's values. */
    public static final AvroCodec<KeyState> KEY_STATE = new AvroCodec<>(KeyState.getClassSchema());

    private final Schema schema;
    /** Every schema version this codec reads, by the fingerprint in the single-object header. */
    private final Map<Long, Schema> writers = new HashMap<>();

    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    private AvroCodec(Schema schema) {
        this.schema = schema;
        SpecificData model = SpecificData.getForSchema(schema);
        this.encoder = new BinaryMessageEncoder<>(model, schema);
        this.decoder = new BinaryMessageDecoder<>(model, schema);
        SchemaHistory.versions(schema.getName()).forEach(decoder::addSchema);
        writers.put(SchemaNormalization.parsingFingerprint64(schema), schema);
        for (Schema version : SchemaHistory.versions(schema.getName())) {
            writers.put(SchemaNormalization.parsingFingerprint64(version), version);
        }
    }

    /** Encodes a record. */
    public byte[] encode(T value) {
        try {
            ByteBuffer buffer = encoder.encode(value);
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Decodes a record.
     *
     * @throws InvalidRecordException with a reason a person can act on, for anything that is not
     *     a record of a known version of this schema
     */
    public T decode(byte[] bytes) {
        if (bytes == null) {
            throw new InvalidRecordException("null value where a " + schema.getName() + " was expected");
        }
        if (bytes.length < 10 || bytes[0] != (byte) 0xC3 || bytes[1] != (byte) 0x01) {
            throw new InvalidRecordException("not a Ladder " + schema.getName()
                    + ": missing the Avro single-object marker C3 01 (" + bytes.length + " bytes)");
        }
        long fingerprint =
                ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        Schema writer = writers.get(fingerprint);
        if (writer == null) {
            throw new InvalidRecordException("unknown " + schema.getName() + " schema version (fingerprint "
                    + String.format("%016x", fingerprint)
                    + "); written by a newer Ladder? Add its schema to the history and redeploy");
        }
        // measure every length against the bytes really there before Avro allocates anything
        AvroBounds.check(writer, bytes, 10);
        try {
            return decoder.decode(bytes);
        } catch (MissingSchemaException | BadHeaderException e) {
            throw new InvalidRecordException("not a Ladder " + schema.getName() + ": " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            // whatever else Avro throws on bytes that passed the bounds check is still bad input
            throw new InvalidRecordException(
                    "corrupt " + schema.getName() + " body: " + e.getClass().getSimpleName() + ": " + e.getMessage(),
                    e);
        }
    }

    /** The current schema. */
    public Schema schema() {
        return schema;
    }
}
