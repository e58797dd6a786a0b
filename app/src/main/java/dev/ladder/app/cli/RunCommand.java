package dev.ladder.app.cli;

import dev.ladder.app.LadderApp;
import dev.ladder.config.LadderConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ladder run --config FILE}: the processor. Runs until SIGTERM (graceful: Streams closes,
 * commits and flushes, exit 0), until it fails (exit 1), or until its config file changes in a way
 * that needs a restart under {@code reload-restart-required: exit} (graceful, exit {@value
 * LadderCli#RESTART}, so that Kubernetes restarts the container on the new file). Missing tier,
 * dead-letter and output topics are created with the main topic's partition count unless {@code
 * --no-create-topics}.
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = "Run the retry processor until SIGTERM. Logs go to stderr.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:stopped cleanly (SIGTERM)",
            "1:failed",
            "2:usage or configuration error",
            "3:the configuration file changed in a way that needs a restart"
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  ladder run --config ladder.yaml",
            "  LADDER_CONFIG=/etc/ladder/ladder.yaml ladder run --no-create-topics"
        })
final class RunCommand implements Callable<Integer> {

    @Mixin
    ConfigOption config;

    @Option(
            names = "--create-topics",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "Create missing tier, dead-letter and output topics at start (default: ${DEFAULT-VALUE}).")
    boolean createTopics;

    @Override
    public Integer call() throws Exception {
        LadderConfig loaded = config.load();
        loaded.streamsProperties(); // fails now, with the key named, when bootstrap servers are missing
        LadderApp app = new LadderApp(loaded, null, createTopics);
        Thread hook = new Thread(
                () -> {
                    app.close();
                    // SIGTERM is how Kubernetes asks us to stop: after a clean close that is success, not 143
                    System.out.flush();
                    System.err.flush();
                    Runtime.getRuntime().halt(exitCode(app));
                },
                "ladder-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        app.start();
        app.watchConfig(config.file, System.getenv());
        app.awaitTermination();
        int code = exitCode(app);
        if (code != 0) {
            app.close();
        }
        return code;
    }

    private static int exitCode(LadderApp app) {
        if (app.failure().isPresent()) {
            return 1;
        }
        return app.restartRequested().isPresent() ? LadderCli.RESTART : 0;
    }
}
