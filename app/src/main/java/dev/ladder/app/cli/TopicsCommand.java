package dev.ladder.app.cli;

import dev.ladder.app.TopicSetup;
import dev.ladder.config.LadderConfig;
import dev.ladder.policy.LadderSettings;
import dev.ladder.policy.TopicNames;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ladder topics create|verify --config FILE}: sets up or checks the tier, dead-letter and
 * output topics before a deployment, with the same rules {@code run} applies at start: every one
 * has the main topic's partition count. Tier and dead-letter topics are created with the retention
 * and {@code max.message.bytes} Ladder needs; an existing topic that differs or falls short is
 * reported (exit {@value LadderCli#MISMATCH}), never altered.
 */
@Command(
        name = "topics",
        mixinStandardHelpOptions = true,
        description = "Create or verify Ladder's tier, dead-letter and output topics.",
        subcommands = {TopicsCommand.Create.class, TopicsCommand.Verify.class})
final class TopicsCommand {

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description =
                    "Create the missing tier, dead-letter and output topics with the main topic's partition count.",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {
                "0:every topic exists as Ladder needs it",
                "1:Kafka could not be reached",
                "2:usage or configuration error",
                "4:an existing topic does not match (partitions or configs; reported, never altered)"
            },
            footerHeading = "%nExamples:%n",
            footer = {
                "  ladder topics create -c ladder.yaml",
                "  ladder topics create -c ladder.yaml --replication-factor 3"
            })
    static final class Create implements Callable<Integer> {
        @Mixin
        ConfigOption options;

        @Mixin
        TimeoutOption timeout;

        @Option(
                names = "--replication-factor",
                description = "Replication factor of created topics (default: the broker's).")
        Short replicationFactor;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            return ensure(spec, options.load(), timeout.timeout, true, Optional.ofNullable(replicationFactor));
        }
    }

    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description = "Check that every Ladder topic exists with the main topic's partition count, a retention "
                    + "that keeps what waits in it and a record limit that fits the envelope (exit 4 if not).",
            exitCodeListHeading = "%nExit codes:%n",
            exitCodeList = {
                "0:every topic exists as Ladder needs it",
                "1:Kafka could not be reached",
                "2:usage or configuration error",
                "4:a topic is missing or does not match (partitions or configs)"
            },
            footerHeading = "%nExamples:%n",
            footer = {
                "  ladder topics verify -c ladder.yaml",
                "  ladder topics verify -c ladder.yaml; echo $?     # 4: a topic needs fixing, 1: Kafka not reached"
            })
    static final class Verify implements Callable<Integer> {
        @Mixin
        ConfigOption options;

        @Mixin
        TimeoutOption timeout;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            return ensure(spec, options.load(), timeout.timeout, false, Optional.empty());
        }
    }

    /**
     * Creates (or only checks) the topics and prints what it found: the table on stdout, findings on
     * stderr. A missing main topic, another partition count or a config that falls short is what
     * these commands exist to find: {@link LadderCli#MISMATCH}, not a usage error.
     */
    static int ensure(
            CommandSpec spec, LadderConfig config, Duration timeout, boolean create, Optional<Short> replication) {
        LadderSettings settings = config.toSettings();
        TopicNames topics = settings.topics();
        PrintWriter out = spec.commandLine().getOut();
        try (Admin admin = admin(config, timeout)) {
            TopicSetup.Report report;
            try {
                report = reaching(
                        config, timeout, () -> new TopicSetup(admin, timeout).ensure(settings, create, replication));
            } catch (TopicSetup.TopicSetupException e) {
                spec.commandLine().getErr().println("ladder: " + e.getMessage());
                return LadderCli.MISMATCH;
            }
            if (create) {
                out.println(
                        report.created().isEmpty()
                                ? "all topics exist"
                                : "created " + String.join(", ", report.created()));
            } else if (report.findings().isEmpty()) {
                out.println("topics ok");
            }
            printTable(out, topics, report.partitions());
            // existing topics are never altered: what falls short is reported
            return printFindings(spec, report);
        }
    }

    /** Prints each config finding on stderr; {@link LadderCli#MISMATCH} when there is one, else 0. */
    static int printFindings(CommandSpec spec, TopicSetup.Report report) {
        if (report.findings().isEmpty()) {
            return LadderCli.OK;
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println(report.findings().size() + " topic config finding(s):");
        report.findings().forEach(f -> err.println("  - " + f));
        err.flush();
        return LadderCli.MISMATCH;
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

    /**
     * Runs topic setup; a broker that does not answer in time becomes one {@link Unreachable} line
     * naming the bootstrap servers.
     */
    private static TopicSetup.Report reaching(LadderConfig config, Duration timeout, Supplier<TopicSetup.Report> work) {
        try {
            return work.get();
        } catch (TopicSetup.TopicSetupException e) {
            if (!e.isTimeout()) {
                throw e;
            }
            throw Unreachable.kafka(bootstrap(config), timeout, e);
        } catch (KafkaException e) {
            if (!Unreachable.isKafkaUnreachable(e)) {
                throw e;
            }
            throw Unreachable.kafka(bootstrap(config), timeout, e);
        }
    }

    private static String bootstrap(LadderConfig config) {
        return config.streamsProperties().getProperty(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG);
    }

    private static Admin admin(LadderConfig config, Duration timeout) {
        Properties streams = config.streamsProperties(); // fails, naming the key, without bootstrap servers
        Properties props = new Properties();
        for (String name : AdminClientConfig.configNames()) {
            if (streams.containsKey(name)) {
                props.put(name, streams.get(name));
            }
        }
        int ms = (int) timeout.toMillis();
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "ladder-topics");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
        props.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, ms);
        props.put(AdminClientConfig.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, (int)
                Math.min(ms, DltOptions.SETUP_TIMEOUT_MS));
        try {
            return Admin.create(props);
        } catch (KafkaException e) {
            if (!Unreachable.isKafkaUnreachable(e)) {
                throw e;
            }
            throw Unreachable.kafka(bootstrap(config), timeout, e);
        }
    }
}
