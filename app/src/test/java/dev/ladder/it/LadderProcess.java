package dev.ladder.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code ladder run} in a JVM of its own, for tests that kill or signal the processor. */
final class LadderProcess {

    private LadderProcess() {}

    /**
     * Starts {@code ladder run --config config} on the test class path, with stdout and stderr in
     * {@code log}. LADDER_* and KAFKA_* variables of the test's environment are not passed on, so
     * only the file configures it.
     */
    static Process run(Path config, Path log) throws IOException {
        ProcessBuilder pb = builder(List.of(), List.of("run", "--config", config.toString()));
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        return pb.start();
    }

    /**
     * Starts {@code ladder ARGS} as {@link #run} does, with these JVM options (e.g. log levels),
     * and with stdout in {@code out} and stderr in {@code err}, apart: for tests of what a command
     * writes where.
     */
    static Process cli(List<String> jvmOptions, List<String> args, Path out, Path err) throws IOException {
        ProcessBuilder pb = builder(jvmOptions, args);
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        return pb.start();
    }

    private static ProcessBuilder builder(List<String> jvmOptions, List<String> args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx384m", "-XX:+UseSerialGC"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.ladder.app.cli.LadderCli"));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().keySet().removeIf(name -> name.startsWith("LADDER_") || name.startsWith("KAFKA_"));
        return pb;
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
