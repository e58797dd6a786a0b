package dev.ladder.app.cli;

import dev.ladder.app.dlt.ClientProperties;
import dev.ladder.app.dlt.DeadLetterFilter;
import dev.ladder.app.dlt.DeadLetterPrinter;
import dev.ladder.app.dlt.DeadLetterReader;
import dev.ladder.app.dlt.DeadLetterScanner;
import dev.ladder.policy.LadderSettings;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Options every {@code ladder dlt} command shares: where the dead letters are, and which to take. */
final class DltOptions {

    /** The output formats of {@code --format}. */
    enum Format {
        JSON(DeadLetterPrinter.Style.JSON),
        TABLE(DeadLetterPrinter.Style.TABLE);

        final DeadLetterPrinter.Style style;

        Format(DeadLetterPrinter.Style style) {
            this.style = style;
        }
    }

    /** The values of {@code --format} as they are typed, for help and shell completion. */
    static final class FormatNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return List.of("json", "table").iterator();
        }
    }

    /** Kafka's default {@code socket.connection.setup.timeout.ms}. */
    static final long SETUP_TIMEOUT_MS = 10_000;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Mixin
    ConfigOption config;

    @Mixin
    TimeoutOption timeout;

    @Option(
            names = "--dlt-topic",
            description = "Dead-letter topic to read (default: the configured one). "
                    + "Ladder, Spring Kafka, Kafka Connect and Kafka Streams dead letters are understood.")
    String dltTopic;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            defaultValue = "json",
            completionCandidates = FormatNames.class,
            description = "One of: ${COMPLETION-CANDIDATES}. json: one object a line, for jq (default); "
                    + "table: for people.")
    Format format;

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

    LadderSettings settings() {
        return config.load().toSettings();
    }

    String topic() {
        return dltTopic != null ? dltTopic : settings().topics().deadLetter();
    }

    /** The client properties of the configuration, every wait bounded by {@code --timeout}. */
    Properties streamsProps() {
        Properties props = config.load().streamsProperties();
        String ms = Long.toString(timeout.timeout.toMillis());
        // the first attempt's setup timeout may not exceed the maximum (Kafka warns otherwise)
        String setup = Long.toString(Math.min(timeout.timeout.toMillis(), SETUP_TIMEOUT_MS));
        for (String prefix : List.of("", "consumer.", "producer.")) {
            props.put(prefix + CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
            props.put(prefix + CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, ms);
            props.put(prefix + CommonClientConfigs.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG, ms);
            props.put(prefix + CommonClientConfigs.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, setup);
            props.put(prefix + ProducerConfig.MAX_BLOCK_MS_CONFIG, ms);
            // at least linger.ms + request.timeout.ms, or the producer refuses to start
            props.put(
                    prefix + ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(2 * timeout.timeout.toMillis()));
        }
        return props;
    }

    /** A scanner of the dead-letter topic, reading envelopes with the configured envelope serde. */
    DeadLetterScanner scanner(String purpose) {
        return new DeadLetterScanner(
                ClientProperties.consumer(streamsProps(), "ladder-dlt-" + purpose),
                topic(),
                // lives as long as the command: nothing to close but a client a serde may hold
                new DeadLetterReader(settings().eventIdHeader(), config.load().envelopeSerde()),
                timeout.timeout);
    }

    /**
     * Runs a command's work against Kafka; a client that gives up on the cluster (a call that timed
     * out, servers that do not resolve, a failed authentication) becomes one {@link Unreachable}
     * line naming the bootstrap servers.
     */
    <T> T reaching(Callable<T> work) throws Exception {
        try {
            return work.call();
        } catch (KafkaException e) {
            if (!Unreachable.isKafkaUnreachable(e)) {
                throw e;
            }
            throw Unreachable.kafka(
                    config.load().streamsProperties().getProperty(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG),
                    timeout.timeout,
                    e);
        }
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
        return new DeadLetterPrinter(spec.commandLine().getOut(), format.style, detail);
    }
}
