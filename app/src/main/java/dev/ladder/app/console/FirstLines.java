package dev.ladder.app.console;

import java.io.IOException;
import java.io.Writer;

/** A writer that keeps the first {@code max} lines written to it and drops the rest. */
final class FirstLines extends Writer {

    private final Writer target;
    private final int max;
    private int lines;

    FirstLines(Writer target, int max) {
        this.target = target;
        this.max = max;
    }

    @Override
    public void write(char[] buffer, int offset, int length) throws IOException {
        for (int i = offset; i < offset + length && lines < max; i++) {
            target.write(buffer[i]);
            if (buffer[i] == '\n') {
                lines++;
            }
        }
    }

    @Override
    public void flush() throws IOException {
        target.flush();
    }

    @Override
    public void close() throws IOException {
        target.close();
    }
}
