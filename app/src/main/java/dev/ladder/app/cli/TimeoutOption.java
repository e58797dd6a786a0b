package dev.ladder.app.cli;

import dev.ladder.text.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/**
 * The {@code --timeout} option of every command that talks to Kafka or to a Ladder instance (a
 * picocli mixin): how long one call may wait for an answer before the command gives up with one
 * line naming what it could not reach. Bounded by default so that a script never hangs on a broker
 * that is down.
 */
final class TimeoutOption {

    /**
     * The default: long enough for a healthy cluster's slowest metadata call, short enough that a
     * command against a broker that is down ends within 15 s, JVM start included (measured: 2.7 s
     * to the first Kafka call on a loaded 2-core machine; {@code dlt list} against a closed port ends
     * after 10.5 s at this default, after 13.9 s at 10 s).
     */
    static final String DEFAULT = "8s";

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = DEFAULT,
            converter = DurationConverter.class,
            description = "Longest wait for Kafka or a Ladder instance to answer, e.g. 5s or 1m "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration timeout;

    /** Parses durations as the configuration file does (500ms, 30s, 5m). */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String text) {
            Duration d = Durations.parse(text);
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException("must be > 0");
            }
            return d;
        }
    }
}
