package dev.ladder.app.cli;

import dev.ladder.config.LadderConfig;
import dev.ladder.config.LadderConfigLoader;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code -c/--config} option, the same in every command that reads {@code ladder.yaml} (a
 * picocli mixin): one spelling, one environment fallback, one help text. The file is loaded once,
 * on first use.
 */
final class ConfigOption {

    @Option(
            names = {"-c", "--config"},
            required = true,
            paramLabel = "FILE",
            description = "YAML configuration file (env: LADDER_CONFIG).",
            defaultValue = "${env:LADDER_CONFIG}")
    Path file;

    private LadderConfig loaded;

    /** The configuration, loaded and validated on the first call. */
    LadderConfig load() {
        if (loaded == null) {
            loaded = LadderConfigLoader.load(file);
        }
        return loaded;
    }
}
