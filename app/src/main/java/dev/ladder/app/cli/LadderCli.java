package dev.ladder.app.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ladder} executable: one binary, a sub-command per job.
 *
 * <p>Exit codes: 0 success, 1 runtime failure, 2 usage or configuration error, 3 {@code run}
 * stopped cleanly because its configuration file changed in a way that needs a restart.
 */
@Command(
        name = "ladder",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description =
                "A Kafka retry ladder: delay tiers, per-key order, exactly-once hand-off, dead letters with history.",
        subcommands = {
            RunCommand.class,
            DemoCommand.class,
            TopicsCommand.class,
            ConfigCommand.class,
            DltCommand.class,
            KeysCommand.class,
            StatusCommand.class,
            CommandLine.HelpCommand.class
        })
public final class LadderCli {

    /** Exit code of a usage or configuration error. */
    public static final int USAGE = 2;

    /**
     * Exit code of {@code run} after a configuration change that needs a restart ({@code
     * reload-restart-required: exit}): Streams was closed cleanly, and a supervisor that restarts
     * the process (Kubernetes does) starts it on the new file.
     */
    public static final int RESTART = 3;

    private LadderCli() {}

    /** Builds the command line, with Ladder's exception handling. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new LadderCli());
        cli.setExecutionExceptionHandler(new FailureHandler());
        cli.setExitCodeExceptionMapper(FailureHandler::exitCode);
        return cli;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
