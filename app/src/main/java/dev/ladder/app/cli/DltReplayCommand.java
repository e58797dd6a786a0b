package dev.ladder.app.cli;

import dev.ladder.app.dlt.ClientProperties;
import dev.ladder.app.dlt.DeadLetterFilter;
import dev.ladder.app.dlt.DeadLetterScanner;
import dev.ladder.app.dlt.ReplayProgress;
import dev.ladder.app.dlt.ReplayRecords;
import dev.ladder.app.dlt.Replayer;
import dev.ladder.kernel.LadderHeaders;
import dev.ladder.policy.LadderSettings;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ladder dlt replay}: sends chosen dead letters back to the main topic (or {@code --to}) as
 * fresh events with a deterministic replay id, so the same replay run twice is processed once
 * within the idempotency retention. Paced by {@code --rate}; by default at the rate the processor
 * itself uses towards a downstream that just recovered (see {@link Replayer#defaultRate}).
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = "Send dead letters back as fresh events (original key, value, headers and partition). "
                + "Progress goes to stderr: a bar on a terminal, a line every 5 s otherwise.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  ladder dlt replay -c ladder.yaml --exception ConnectException --since 6h --dry-run",
            "  ladder dlt replay -c ladder.yaml --exception ConnectException --since 6h --rate 200",
            "  ladder dlt replay -c ladder.yaml --all --to orders-replay"
        })
final class DltReplayCommand implements Callable<Integer> {

    @Mixin
    DltOptions options;

    @Option(names = "--all", description = "Replay every dead letter (required when no filter is given).")
    boolean all;

    @Option(names = "--to", description = "Topic to send to (default: the main topic).")
    String to;

    @Option(names = "--dry-run", description = "Print what would be sent; send nothing.")
    boolean dryRun;

    @Option(
            names = "--rate",
            paramLabel = "PER_SECOND",
            description = "At most this many records a second (default: rate-limit.calls-per-second when set, "
                    + "else rate-limit.drain-rate, the rate Ladder resumes a recovered downstream at: 50).")
    Double rate;

    @Override
    public Integer call() throws Exception {
        CommandLine cli = options.spec.commandLine();
        DeadLetterFilter filter = options.filter();
        if (filter.isEmpty() && !all) {
            throw new CommandLine.ParameterException(
                    cli, "replay needs a filter (--key, --since, --until, --exception, --http-status) or --all");
        }
        if (rate != null && !(rate > 0)) {
            throw new CommandLine.ParameterException(cli, "--rate must be > 0");
        }
        return options.reaching(() -> replay(cli, filter));
    }

    private int replay(CommandLine cli, DeadLetterFilter filter) throws InterruptedException {
        LadderSettings settings = options.settings();
        String target = to != null ? to : settings.topics().main();
        String idHeader = settings.eventIdHeader();
        PrintWriter err = cli.getErr();
        if (idHeader == null) {
            idHeader = LadderHeaders.DEFAULT_EVENT_ID;
            err.println("warning: idempotency.header is not set, so the processor will not see replay ids: "
                    + "running this replay twice would process it twice");
        }
        double perSecond = rate != null ? rate : Replayer.defaultRate(settings.rateLimit());
        try (DeadLetterScanner scanner = options.scanner("replay")) {
            int partitions = scanner.partitionCount(target);
            long total = scanner.size();
            err.printf(
                    Locale.ROOT,
                    "replaying from %s (%d records) to %s at %.0f/s%n",
                    options.topic(),
                    total,
                    target,
                    perSecond);
            Producer<byte[], byte[]> producer = dryRun
                    ? null
                    : new KafkaProducer<>(ClientProperties.producer(
                            options.streamsProps(),
                            options.streamsProps().getProperty(StreamsConfig.APPLICATION_ID_CONFIG) + "-replay-"
                                    + UUID.randomUUID()));
            try {
                ReplayProgress progress = new ReplayProgress(err, System.console() != null, total, System::nanoTime);
                Replayer.Result result = new Replayer(
                                producer,
                                ReplayRecords.Target.of(settings, target, partitions, idHeader),
                                perSecond,
                                cli.getOut(),
                                err)
                        .run(scanner, filter::matches, progress);
                err.println(result.summary());
                err.flush();
                return result.failed() == 0 ? LadderCli.OK : LadderCli.FAILED;
            } finally {
                if (producer != null) {
                    producer.close();
                }
            }
        }
    }
}
