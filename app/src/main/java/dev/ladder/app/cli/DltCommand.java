package dev.ladder.app.cli;

import picocli.CommandLine.Command;

/** {@code ladder dlt}: inspect and replay dead letters. */
@Command(
        name = "dlt",
        mixinStandardHelpOptions = true,
        description = "Inspect and replay dead letters (Ladder's, Spring Kafka's, Kafka Connect's, Kafka Streams').",
        subcommands = {DltListCommand.class, DltShowCommand.class, DltTailCommand.class, DltReplayCommand.class})
final class DltCommand {}
