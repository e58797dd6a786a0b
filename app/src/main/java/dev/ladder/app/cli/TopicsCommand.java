package dev.ladder.app.cli;

import dev.ladder.app.TopicSetup;
import dev.ladder.config.LadderConfig;
import dev.ladder.config.LadderConfigLoader;
import dev.ladder.policy.LadderSettings;
import dev.ladder.policy.TopicNames;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ladder topics create|verify --config FILE}: sets up or checks the tier, dead-letter and
 * output topics before a deployment, with the same rules {@code run} applies at start: every one
 * has the main topic's partition count. Tier and dead-letter topics are created with the retention
 * and {@code max.message.bytes} Ladder needs; an existing topic that falls short is reported (exit 2),
 * never altered.
 */
@Command(
        name = "topics",
        mixinStandardHelpOptions = true,
        description = "Create or verify Ladder's tier, dead-letter and output topics.",
        subcommands = {TopicsCommand.Create.class, TopicsCommand.Verify.class})
final class TopicsCommand {

    /** How long one Admin call may take before the broker counts as unreachable. */
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** The options both sub-commands share. */
    static final class ConfigOption {
        @Option(
                names = {"-c", "--config"},
                required = true,
                description = "YAML configuration file (env: LADDER_CONFIG).",
                defaultValue = "${env:LADDER_CONFIG}")
        Path config;
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description =
                    "Create the missing tier, dead-letter and output topics with the main topic's partition count.")
    static final class Create implements Callable<Integer> {
        @Mixin
        ConfigOption options;

        @Option(
                names = "--replication-factor",
                description = "Replication factor of created topics (default: the broker's).")
        Short replicationFactor;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            LadderConfig config = LadderConfigLoader.load(options.config);
            LadderSettings settings = config.toSettings();
            TopicNames topics = settings.topics();
            try (Admin admin = admin(config)) {
                TopicSetup.Report report =
                        new TopicSetup(admin, TIMEOUT).ensure(settings, true, Optional.ofNullable(replicationFactor));
                PrintWriter out = spec.commandLine().getOut();
                out.println(
                        report.created().isEmpty()
                                ? "all topics exist"
                                : "created " + String.join(", ", report.created()));
                printTable(out, topics, report.partitions());
                // existing topics are never altered: what falls short is reported, as verify does
                return printFindings(spec, report);
            }
        }
    }

    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description = "Check that every Ladder topic exists with the main topic's partition count, a retention "
                    + "that keeps what waits in it and a record limit that fits the envelope (exit 2 if not).")
    static final class Verify implements Callable<Integer> {
        @Mixin
        ConfigOption options;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            LadderConfig config = LadderConfigLoader.load(options.config);
            LadderSettings settings = config.toSettings();
            TopicNames topics = settings.topics();
            try (Admin admin = admin(config)) {
                TopicSetup.Report report = new TopicSetup(admin, TIMEOUT).ensure(settings, false, Optional.empty());
                PrintWriter out = spec.commandLine().getOut();
                if (report.findings().isEmpty()) {
                    out.println("topics ok");
                }
                printTable(out, topics, report.partitions());
                return printFindings(spec, report);
            }
        }
    }

    /** Prints each config finding on stderr; 2 when there is one, else 0. */
    static int printFindings(CommandSpec spec, TopicSetup.Report report) {
        if (report.findings().isEmpty()) {
            return 0;
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println(report.findings().size() + " topic config finding(s):");
        report.findings().forEach(f -> err.println("  - " + f));
        err.flush();
        return 2;
    }

    /** One line per topic: its role, name and partition count (all equal once checked). */
    static void printTable(PrintWriter out, TopicNames topics, int partitions) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"ROLE", "TOPIC", "PARTITIONS"});
        rows.add(new String[] {"main", topics.main(), Integer.toString(partitions)});
        for (int i = 0; i < topics.tiers().size(); i++) {
            rows.add(new String[] {"tier " + (i + 1), topics.tiers().get(i), Integer.toString(partitions)});
        }
        rows.add(new String[] {"dead-letter", topics.deadLetter(), Integer.toString(partitions)});
        topics.output().ifPresent(o -> rows.add(new String[] {"output", o, Integer.toString(partitions)}));
        int role = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        int name = rows.stream().mapToInt(r -> r[1].length()).max().orElse(0);
        for (String[] r : rows) {
            out.printf("%-" + role + "s  %-" + name + "s  %s%n", r[0], r[1], r[2]);
        }
        out.flush();
    }

    private static Admin admin(LadderConfig config) {
        Properties streams = config.streamsProperties(); // fails, naming the key, without bootstrap servers
        Properties props = new Properties();
        for (String name : AdminClientConfig.configNames()) {
            if (streams.containsKey(name)) {
                props.put(name, streams.get(name));
            }
        }
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "ladder-topics");
        props.putIfAbsent(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        return Admin.create(props);
    }
}
