package dev.ladder.kernel;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Makes text that came from outside (record keys, event ids, header values, failure messages) safe
 * to put in a log line: line breaks and other control characters are escaped, so a crafted key can
 * never start a forged log line, and long text is cut, so a 1 MB key is not a 1 MB log line.
 *
 * <p>Event payloads and failure messages (which may echo a payload) are not logged above DEBUG at
 * all; this is for what a log line must name.
 */
public final class LogSafe {

    /** The most characters of one value shown in a log line. */
    public static final int MAX_CHARS = 200;

    private LogSafe() {}

    /** The text with CR, LF and other control or line-separating characters escaped, cut to {@value #MAX_CHARS}. */
    public static String text(String text) {
        if (text == null) {
            return "null";
        }
        int shown = Math.min(text.length(), MAX_CHARS);
        StringBuilder out = new StringBuilder(shown + 16);
        for (int i = 0; i < shown; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\\' -> out.append("\\\\");
                default -> {
                    // C0/C1 controls, DEL, and the Unicode line and paragraph separators
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        if (text.length() > shown) {
            out.append("…(").append(text.length()).append(" chars)");
        }
        return out.toString();
    }

    /** A record key: its UTF-8 text when it is valid UTF-8, else {@code base64:…}; escaped like {@link #text}. */
    public static String key(byte[] key) {
        if (key == null) {
            return "null";
        }
        try {
            return text(StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(key))
                    .toString());
        } catch (CharacterCodingException e) {
            return text("base64:" + Base64.getEncoder().encodeToString(key));
        }
    }
}
