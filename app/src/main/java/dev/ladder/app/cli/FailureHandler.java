package dev.ladder.app.cli;

import dev.ladder.app.TopicSetup;
import dev.ladder.config.ConfigException;
import dev.ladder.policy.InvalidPolicyException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * Turns a failure into one clear line on stderr and an exit code, instead of a stack trace: a
 * configuration or topic mistake is the operator's to fix, not a bug.
 */
final class FailureHandler implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine cli, ParseResult parsed) {
        if (isUsage(e)) {
            cli.getErr().println("ladder: " + e.getMessage());
        } else {
            cli.getErr().println("ladder: " + e);
            e.printStackTrace(cli.getErr());
        }
        return exitCode(e);
    }

    static int exitCode(Throwable e) {
        return isUsage(e) ? LadderCli.USAGE : 1;
    }

    private static boolean isUsage(Throwable e) {
        return e instanceof ConfigException
                || e instanceof InvalidPolicyException
                || e instanceof TopicSetup.TopicSetupException
                || e instanceof CommandLine.ParameterException;
    }
}
