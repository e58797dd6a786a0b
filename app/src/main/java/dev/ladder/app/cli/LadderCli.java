package dev.ladder.app.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;

/**
 * The {@code ladder} executable: one binary, a sub-command per job. Data goes to stdout, logs and
 * messages to stderr, so {@code ladder dlt list | jq} sees only data.
 *
 * <p>Exit codes: {@value #OK} success, {@value #FAILED} runtime failure (including a broker or
 * instance that could not be reached), {@value #USAGE} usage or configuration error, {@value
 * #RESTART} {@code run} stopped cleanly because its configuration file changed in a way that needs a
 * restart, {@value #MISMATCH} {@code topics verify|create} found a topic that does not match.
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
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:success",
            "1:failed (also: Kafka or a Ladder instance could not be reached)",
            "2:usage or configuration error",
            "3:run: the configuration changed in a way that needs a restart",
            "4:topics verify|create: a topic does not match what Ladder needs"
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  ladder demo",
            "  ladder run --config ladder.yaml",
            "  ladder topics verify --config ladder.yaml",
            "  ladder dlt list --config ladder.yaml --since 2h | jq -r .key",
            "  source <(ladder completion)     # bash/zsh completion for this shell",
            "",
            "Data goes to stdout, logs and messages to stderr. See docs/cli.md."
        })
public final class LadderCli {

    /** Exit code of success. */
    public static final int OK = 0;

    /** Exit code of a runtime failure, including Kafka or an instance that could not be reached. */
    public static final int FAILED = 1;

    /** Exit code of a usage or configuration error. */
    public static final int USAGE = 2;

    /**
     * Exit code of {@code run} after a configuration change that needs a restart ({@code
     * reload-restart-required: exit}): Streams was closed cleanly, and a supervisor that restarts
     * the process (Kubernetes does) starts it on the new file.
     */
    public static final int RESTART = 3;

    /**
     * Exit code of {@code topics verify} (and {@code create}) when a topic exists but does not match:
     * another partition count, a missing topic, or a config that falls short. Distinct from {@link
     * #FAILED} so that a deployment pipeline can tell "fix the topics" from "the check did not run".
     */
    public static final int MISMATCH = 4;

    /** Logged by the tool commands at this level unless asked otherwise; Kafka's WARNs would be noise. */
    private static final String TOOL_KAFKA_LOG_LEVEL = "ERROR";

    @Option(
            names = "--verbose",
            scope = ScopeType.INHERIT,
            description = "On failure, print the stack trace after the one-line message; log Kafka's warnings.")
    boolean verbose;

    private LadderCli() {}

    /** Builds the command line, with Ladder's exception handling and the completion command. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new LadderCli());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler(new FailureHandler());
        cli.setExitCodeExceptionMapper(FailureHandler::exitCode);
        CommandLine completion = new CommandLine(new AutoComplete.GenerateCompletion());
        completion.getCommandSpec().usageMessage().hidden(false);
        cli.addSubcommand("completion", completion);
        return cli;
    }

    /**
     * Runs the chosen command in the {@code ladder} process. A tool command (everything but {@code
     * run} and {@code demo}) talks to Kafka briefly and reports failures itself, so Kafka's client
     * warnings (a refused connection, retried every second) stay out of its stderr unless {@code
     * --verbose} asks for them. This sets a property of the process's log4j2.xml before the first
     * logger exists (parsing creates none), so only {@link #main} does it: a JVM that embeds the
     * command line keeps its own logging.
     */
    private static int execute(ParseResult parsed) {
        Object command = last(parsed).commandSpec().userObject();
        boolean tool = !(command instanceof RunCommand) && !(command instanceof DemoCommand);
        if (tool && !FailureHandler.verbose(parsed) && System.getProperty("ladder.kafka.log.level") == null) {
            System.setProperty("ladder.kafka.log.level", TOOL_KAFKA_LOG_LEVEL);
        }
        return new CommandLine.RunLast().execute(parsed);
    }

    private static ParseResult last(ParseResult parsed) {
        ParseResult p = parsed;
        while (p.subcommand() != null) {
            p = p.subcommand();
        }
        return p;
    }

    public static void main(String[] args) {
        System.exit(commandLine().setExecutionStrategy(LadderCli::execute).execute(args));
    }
}
