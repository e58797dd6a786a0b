package dev.ladder.app.cli;

import dev.ladder.app.dlt.ClientProperties;
import dev.ladder.app.dlt.DeadLetterFilter;
import dev.ladder.app.dlt.DeadLetterPrinter;
import dev.ladder.app.dlt.DeadLetterReader;
import dev.ladder.app.dlt.DeadLetterScanner;
import dev.ladder.config.LadderConfig;
import dev.ladder.config.LadderConfigLoader;
import dev.ladder.policy.LadderSettings;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Options every {@code ladder dlt} command shares: where the dead letters are, and which to take. */
final class DltOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(
            names = {"-c", "--config"},
            required = true,
            description = "YAML configuration file (env: LADDER_CONFIG).",
            defaultValue = "${env:LADDER_CONFIG}")
    Path config;

    @Option(
            names = "--dlt-topic",
            description = "Dead-letter topic to read (default: the configured one). "
                    + "Ladder, Spring Kafka, Kafka Connect and Kafka Streams dead letters are understood.")
    String dltTopic;

    @Option(names = "--format", defaultValue = "json", description = "json (one object a line, default) or table.")
    String format;

    @Option(names = "--key", description = "Only this key (UTF-8 text, or base64:... for a binary key).")
    String key;

    @Option(names = "--since", description = "Only dead-lettered at or after: ISO instant or duration ago (2h, 7d).")
    String since;

    @Option(names = "--until", description = "Only dead-lettered before: ISO instant or duration ago.")
    String until;

    @Option(names = "--exception", description = "Only when the exception class contains this (case-insensitive).")
    String exception;

    @Option(names = "--http-status", description = "Only when the last attempt got this HTTP status.")
    Integer httpStatus;

    private LadderConfig loaded;

    LadderConfig config() {
        if (loaded == null) {
            loaded = LadderConfigLoader.load(config);
        }
        return loaded;
    }

    LadderSettings settings() {
        return config().toSettings();
    }

    String topic() {
        return dltTopic != null ? dltTopic : settings().topics().deadLetter();
    }

    Properties streamsProps() {
        return config().streamsProperties();
    }

    DeadLetterScanner scanner(String purpose) {
        return new DeadLetterScanner(
                ClientProperties.consumer(streamsProps(), "ladder-dlt-" + purpose),
                topic(),
                new DeadLetterReader(settings().eventIdHeader()));
    }

    DeadLetterFilter filter() {
        Instant now = Instant.now();
        try {
            return new DeadLetterFilter(
                    key,
                    DeadLetterFilter.parseTime(since, now),
                    DeadLetterFilter.parseTime(until, now),
                    exception,
                    httpStatus);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    DeadLetterPrinter printer(boolean detail) {
        DeadLetterPrinter.Style style;
        switch (format) {
            case "json" -> style = DeadLetterPrinter.Style.JSON;
            case "table" -> style = DeadLetterPrinter.Style.TABLE;
            default ->
                throw new CommandLine.ParameterException(
                        spec.commandLine(), "--format must be json or table, not " + format);
        }
        return new DeadLetterPrinter(spec.commandLine().getOut(), style, detail);
    }
}
