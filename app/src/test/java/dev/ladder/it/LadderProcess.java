package dev.ladder.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code ladder run} in a JVM of its own, for tests that kill or signal the processor. */
final class LadderProcess {

    private LadderProcess() {}

    /**
     * Starts {@code ladder run --config config} on the test class path, with stdout and stderr in
     * {@code log}. LADDER_* and KAFKA_* variables of the test's environment are not passed on, so
     * only the file configures it.
     */
    static Process run(Path config, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(
                java,
                "-Xmx384m",
                "-XX:+UseSerialGC",
                "-cp",
                System.getProperty("java.class.path"),
                "dev.ladder.app.cli.LadderCli",
                "run",
                "--config",
                config.toString());
        pb.environment().keySet().removeIf(name -> name.startsWith("LADDER_") || name.startsWith("KAFKA_"));
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        return pb.start();
    }

    /** What the process wrote so far ("" before it wrote anything). */
    static String output(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }
}
