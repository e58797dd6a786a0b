package dev.ladder.app.cli;

import dev.ladder.app.LadderApp;
import dev.ladder.config.LadderConfig;
import dev.ladder.config.LadderConfigLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ladder run --config FILE}: the processor. Runs until SIGTERM (graceful: Streams closes,
 * commits and flushes, exit 0) or until it fails (exit 1). Missing tier, dead-letter and output
 * topics are created with the main topic's partition count unless {@code --no-create-topics}.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run the retry processor.")
final class RunCommand implements Callable<Integer> {

    @Option(
            names = {"-c", "--config"},
            required = true,
            description = "YAML configuration file (env: LADDER_CONFIG).",
            defaultValue = "${env:LADDER_CONFIG}")
    Path config;

    @Option(
            names = "--create-topics",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "Create missing tier, dead-letter and output topics at start (default: ${DEFAULT-VALUE}).")
    boolean createTopics;

    @Override
    public Integer call() throws Exception {
        LadderConfig loaded = LadderConfigLoader.load(config);
        loaded.streamsProperties(); // fails now, with the key named, when bootstrap servers are missing
        LadderApp app = new LadderApp(loaded, null, createTopics);
        Thread hook = new Thread(
                () -> {
                    app.close();
                    // SIGTERM is how Kubernetes asks us to stop: after a clean close that is success, not 143
                    System.out.flush();
                    System.err.flush();
                    Runtime.getRuntime().halt(app.failure().isPresent() ? 1 : 0);
                },
                "ladder-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        app.start();
        app.watchConfig(config, System.getenv());
        boolean clean = app.awaitTermination();
        if (!clean) {
            app.close();
            return 1;
        }
        return 0;
    }
}
