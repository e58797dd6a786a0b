package dev.ladder.serde;

import java.util.ArrayDeque;
import org.apache.avro.Schema;

/**
 * Measures an Avro binary body against its writer schema before anything decodes it: every
 * length, count, union branch and enum index must fit the bytes that are really there, and the
 * record must end exactly where the bytes do.
 *
 * <p>Avro's decoder trusts a length prefix. A crafted or corrupted record whose length says
 * 2,147,483,000 makes it allocate that much (about 2 GiB) before it notices the input is short;
 * one past {@code Integer.MAX_VALUE - 8} throws {@link UnsupportedOperationException}, which is no
 * Avro exception and used to kill the stream thread. Tier records are input like any other, so
 * they are measured first: a bad one costs a walk over its own bytes, nothing more.
 *
 * <p>Every array and map item of Ladder's schemas takes at least one byte, so a count larger
 * than the bytes left is rejected too.
 */
final class AvroBounds {

    private final byte[] bytes;
    private final int end;
    /** Names from the record down to the field being walked, for the error message only. */
    private final ArrayDeque<String> path = new ArrayDeque<>();

    private int pos;

    private AvroBounds(byte[] bytes, int offset) {
        this.bytes = bytes;
        this.end = bytes.length;
        this.pos = offset;
    }

    /**
     * Checks that {@code bytes} from {@code offset} to the end hold exactly one record of
     * {@code writer}.
     *
     * @throws InvalidRecordException naming the field and what is wrong with it
     */
    static void check(Schema writer, byte[] bytes, int offset) {
        AvroBounds bounds = new AvroBounds(bytes, offset);
        bounds.path.addLast(writer.getName());
        bounds.walk(writer);
        if (bounds.pos != bounds.end) {
            throw new InvalidRecordException("corrupt " + writer.getName() + " body: " + (bounds.end - bounds.pos)
                    + " bytes left over after the end of the record");
        }
    }

    private void walk(Schema schema) {
        switch (schema.getType()) {
            case RECORD -> {
                for (Schema.Field field : schema.getFields()) {
                    path.addLast(field.name());
                    walk(field.schema());
                    path.removeLast();
                }
            }
            case UNION -> {
                long branch = readLong();
                if (branch < 0 || branch >= schema.getTypes().size()) {
                    throw corrupt("union branch " + branch + " of "
                            + schema.getTypes().size());
                }
                walk(schema.getTypes().get((int) branch));
            }
            case ARRAY -> blocks(schema.getElementType(), false);
            case MAP -> blocks(schema.getValueType(), true);
            case STRING, BYTES -> skip(readLong());
            case FIXED -> skip(schema.getFixedSize());
            case ENUM -> {
                long index = readLong();
                if (index < 0 || index >= schema.getEnumSymbols().size()) {
                    throw corrupt("enum index " + index + " of "
                            + schema.getEnumSymbols().size());
                }
            }
            case INT -> readInt();
            case LONG -> readLong();
            case FLOAT -> skip(4);
            case DOUBLE -> skip(8);
            case BOOLEAN -> skip(1);
            case NULL -> {
                // no bytes
            }
        }
    }

    /** Array or map blocks: a count (negative: followed by the block's byte size), then the items. */
    private void blocks(Schema item, boolean map) {
        while (true) {
            long count = readLong();
            if (count == 0) {
                return;
            }
            if (count < 0) {
                if (count == Long.MIN_VALUE) {
                    throw corrupt("block count " + count);
                }
                count = -count;
                long size = readLong();
                if (size < 0 || size > end - pos) {
                    throw corrupt("block size " + size + " with " + (end - pos) + " bytes left");
                }
            }
            if (count > end - pos) {
                throw corrupt("count " + count + " with " + (end - pos) + " bytes left");
            }
            for (long i = 0; i < count; i++) {
                if (map) {
                    skip(readLong());
                }
                walk(item);
            }
        }
    }

    private void skip(long length) {
        if (length < 0 || length > end - pos) {
            throw corrupt("length " + length + " with " + (end - pos) + " bytes left");
        }
        pos += (int) length;
    }

    private void readInt() {
        long value = readVarint(5);
        if (value != (int) value) {
            throw corrupt("int out of range");
        }
    }

    private long readLong() {
        return readVarint(10);
    }

    /** A zig-zag varint of at most {@code maxBytes} bytes. */
    private long readVarint(int maxBytes) {
        long raw = 0;
        for (int i = 0; i < maxBytes; i++) {
            if (pos >= end) {
                throw corrupt("the record ends inside a number");
            }
            int b = bytes[pos++] & 0xFF;
            raw |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                return (raw >>> 1) ^ -(raw & 1);
            }
        }
        throw corrupt("a number longer than " + maxBytes + " bytes");
    }

    private InvalidRecordException corrupt(String problem) {
        return new InvalidRecordException(
                "corrupt " + path.getFirst() + " body at " + String.join(".", path) + ": " + problem);
    }
}
