package dev.ladder.app.cli;

import dev.ladder.config.ConfigException;
import dev.ladder.config.LadderConfigLoader;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code ladder config check --config FILE}: validates a configuration file offline, as
 * {@code run} would at start but without a broker, for CI and Helm hooks. Every mistake of the
 * file is listed in one run, each with its line, the value as written and what is allowed.
 */
@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        description = "Work with the configuration file.",
        subcommands = {ConfigCommand.Check.class})
final class ConfigCommand {

    @Command(
            name = "check",
            mixinStandardHelpOptions = true,
            description = "Validate the configuration file offline (no broker): environment overrides and secret"
                    + " references applied, every error listed.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {"0:valid", "2:invalid (every error on stderr)"},
            footerHeading = "%nExamples:%n",
            footer = {"  ladder config check --config ladder.yaml"})
    static final class Check implements Callable<Integer> {
        @Mixin
        ConfigOption options;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try {
                LadderConfigLoader.load(options.file);
            } catch (ConfigException e) {
                List<ConfigException> errors = e.errors();
                PrintWriter err = spec.commandLine().getErr();
                err.println(options.file + ": " + errors.size() + (errors.size() == 1 ? " error" : " errors"));
                errors.forEach(error -> err.println("  " + error.getMessage()));
                err.flush();
                return LadderCli.USAGE;
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(options.file + ": valid");
            out.flush();
            return 0;
        }
    }
}
