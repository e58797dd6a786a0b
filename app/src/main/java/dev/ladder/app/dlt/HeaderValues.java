package dev.ladder.app.dlt;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Reading error headers written by other tools. Numbers come in two spellings: Spring writes
 * big-endian binary (4-byte partition, 8-byte offset), Connect and Streams write decimal text.
 */
final class HeaderValues {

    private HeaderValues() {}

    /** The last value of a header as UTF-8, or null. */
    static String text(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** The last value of a header as a number in either spelling, or null when absent or unreadable. */
    static Long number(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null ? null : number(h.value());
    }

    static Long number(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return null;
        }
        String text = new String(bytes, StandardCharsets.UTF_8).trim();
        if (text.matches("-?\\d{1,19}")) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        if (bytes.length == 4) {
            return (long) ByteBuffer.wrap(bytes).getInt();
        }
        if (bytes.length == 8) {
            return ByteBuffer.wrap(bytes).getLong();
        }
        return null;
    }

    static Integer integer(Headers headers, String name) {
        Long n = number(headers, name);
        return n == null ? null : (int) (long) n;
    }
}
