package dev.ladder.app.cli;

import dev.ladder.app.TopicSetup;
import dev.ladder.config.ConfigException;
import dev.ladder.policy.InvalidPolicyException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns a failure into one clear line on stderr and an exit code, instead of a stack trace: a
 * configuration mistake or a broker that is down is the operator's to fix, not a bug. With {@code
 * --verbose} the stack trace follows the line.
 */
final class FailureHandler implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed) {
        boolean usage = isUsage(e);
        String line = usage || e instanceof Unreachable ? e.getMessage() : oneLine(e);
        boolean verbose = verbose(parsed);
        cli.getErr().println("ladder: " + line + (usage || verbose ? "" : " (--verbose for details)"));
        if (verbose) {
            e.printStackTrace(cli.getErr());
        }
        cli.getErr().flush();
        return exitCode(e);
    }

    static int exitCode(Throwable e) {
        return isUsage(e) ? LadderCli.USAGE : LadderCli.FAILED;
    }

    /** Whether {@code --verbose} was given, on the top command or any sub-command. */
    static boolean verbose(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isUsage(Throwable e) {
        return e instanceof ConfigException
                || e instanceof InvalidPolicyException
                || (e instanceof TopicSetup.TopicSetupException t && !t.isTimeout())
                || e instanceof CommandLine.ParameterException;
    }

    /** The exception's type and the first line of its message: "IllegalStateException: closed". */
    private static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? "" : e.getMessage().strip();
        String first = message.lines().findFirst().orElse("");
        return first.isEmpty() ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + first;
    }
}
