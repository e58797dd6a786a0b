package dev.ladder.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Writes YAML to a temp file and loads it. */
final class ConfigFixture {

    /** The smallest valid file: a main topic and a handler URL. */
    static final String MINIMAL = "topics:\n  main: orders\nhandler:\n  http:\n    url: http://localhost:8081/hook\n";

    private ConfigFixture() {}

    static LadderConfig load(Path dir, String yaml) {
        return load(dir, yaml, Map.of());
    }

    static LadderConfig load(Path dir, String yaml, Map<String, String> env) {
        return LadderConfigLoader.load(write(dir, yaml), env);
    }

    static Path write(Path dir, String yaml) {
        try {
            return Files.writeString(dir.resolve("ladder.yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Locates a file of the repository, whether tests run from the root or the module. */
    static Path repoFile(String relative) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.exists(dir.resolve(relative))) {
                return dir.resolve(relative);
            }
        }
        throw new IllegalStateException(
                relative + " not found above " + Path.of("").toAbsolutePath());
    }
}
