package dev.ladder.avro.history;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Every released version of Ladder's schemas, kept so that records written by an older Ladder
 * (retries in flight, dead letters parked for months, store changelogs) stay readable.
 *
 * <p>Released versions live as self-contained {@code .avsc} files under
 * {@code dev/ladder/avro/history/} and are listed in its {@code index.txt}, one
 * {@code <Record>-v<N>.avsc} per line. Releasing a schema change means adding the new version
 * there; the compatibility test then proves the current schema still reads every listed one.
 */
public final class SchemaHistory {

    private static final String ROOT = "/dev/ladder/avro/history/";

    private SchemaHistory() {}

    /** Every released version of the named record (simple name, e.g. {@code RetryEnvelope}). */
    public static List<Schema> versions(String recordName) {
        List<Schema> schemas = new ArrayList<>();
        for (String file : index()) {
            if (file.startsWith(recordName + "-v")) {
                schemas.add(load(file));
            }
        }
        return schemas;
    }

    /** Every file listed in the index. */
    public static List<String> index() {
        String text = read("index.txt");
        List<String> files = new ArrayList<>();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                files.add(trimmed);
            }
        }
        return files;
    }

    /** Parses one history file. */
    public static Schema load(String file) {
        return new Schema.Parser().parse(read(file));
    }

    private static String read(String file) {
        try (InputStream in = SchemaHistory.class.getResourceAsStream(ROOT + file)) {
            if (in == null) {
                throw new IllegalStateException("schema history file missing from the class path: " + ROOT + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
