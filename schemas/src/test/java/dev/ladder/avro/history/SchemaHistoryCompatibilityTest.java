package dev.ladder.avro.history;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.avro.EventStatus;
import dev.ladder.avro.KeyState;
import dev.ladder.avro.RetryEnvelope;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Proves that today's schemas read what every released version wrote: a v2 must never strand
 * the v1 records already sitting in a dead-letter topic or a store changelog.
 */
class SchemaHistoryCompatibilityTest {

    static Stream<Arguments> releasedVersions() {
        return Stream.of(RetryEnvelope.SCHEMA$, EventStatus.SCHEMA$, KeyState.SCHEMA$)
                .flatMap(current -> SchemaHistory.versions(current.getName()).stream()
                        .map(old -> Arguments.of(current.getName(), old, current)));
    }

    @Test
    void shouldKeepAtLeastOneReleasedVersionOfEveryRecord() {
        assertThat(SchemaHistory.versions("RetryEnvelope")).isNotEmpty();
        assertThat(SchemaHistory.versions("EventStatus")).isNotEmpty();
        assertThat(SchemaHistory.versions("KeyState")).isNotEmpty();
    }

    @ParameterizedTest(name = "{0}: current reads {1}")
    @MethodSource("releasedVersions")
    void shouldReadEveryReleasedVersionWithTheCurrentSchema(String name, Schema writer, Schema reader) {
        // given the compatibility rules of Avro schema resolution
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        assertThat(result.getType())
                .as("%s: %s", name, result.getDescription())
                .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
    }

    @ParameterizedTest(name = "{0}: decode a record written with {1}")
    @MethodSource("releasedVersions")
    void shouldDecodeSingleObjectRecordsWrittenWithEveryReleasedVersion(String name, Schema writer, Schema reader)
            throws IOException {
        // given a record written with the old schema in single-object encoding
        GenericRecord old = sample(writer);
        byte[] bytes = singleObject(writer, old);

        // when the current generated class decodes it, knowing the old schema
        BinaryMessageDecoder<Object> decoder = new BinaryMessageDecoder<>(SpecificData.get(), reader);
        SchemaHistory.versions(name).forEach(decoder::addSchema);
        Object decoded = decoder.decode(ByteBuffer.wrap(bytes));

        // then every field the old version wrote survives
        GenericRecord current = (GenericRecord) decoded;
        for (Schema.Field field : writer.getFields()) {
            if (reader.getField(field.name()) != null) {
                assertThat(normalize(current.get(field.name())))
                        .as("%s.%s", name, field.name())
                        .isEqualTo(normalize(old.get(field.name())));
            }
        }
    }

    private static Object normalize(Object value) {
        if (value instanceof ByteBuffer b) {
            ByteBuffer copy = b.duplicate();
            byte[] bytes = new byte[copy.remaining()];
            copy.get(bytes);
            return java.util.HexFormat.of().formatHex(bytes);
        }
        if (value instanceof CharSequence s) {
            return s.toString();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(SchemaHistoryCompatibilityTest::normalize).toList();
        }
        if (value instanceof GenericRecord r) {
            return r.getSchema().getFields().stream()
                    .map(f -> normalize(r.get(f.name())))
                    .toList();
        }
        return value;
    }

    private static byte[] singleObject(Schema schema, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0xC3, 0x01});
        long fingerprint = SchemaNormalization.parsingFingerprint64(schema);
        out.write(ByteBuffer.allocate(8)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putLong(fingerprint)
                .array());
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    /** A record with every field filled, so that nothing is tested only as null. */
    private static GenericRecord sample(Schema schema) {
        GenericData.Record record = new GenericData.Record(schema);
        for (Schema.Field field : schema.getFields()) {
            record.put(field.name(), sampleValue(field.schema(), field.name()));
        }
        return record;
    }

    private static Object sampleValue(Schema schema, String name) {
        switch (schema.getType()) {
            case UNION:
                return sampleValue(schema.getTypes().get(schema.getTypes().size() - 1), name);
            case STRING:
                return "sample-" + name;
            case BYTES:
                return ByteBuffer.wrap(("bytes-" + name).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            case INT:
                return name.length();
            case LONG:
                return 1_700_000_000_000L + name.length();
            case BOOLEAN:
                return true;
            case ARRAY:
                return List.of(
                        sampleValue(schema.getElementType(), name), sampleValue(schema.getElementType(), name + "2"));
            case RECORD:
                return sample(schema);
            default:
                throw new IllegalStateException("add a sample for " + schema.getType());
        }
    }
}
