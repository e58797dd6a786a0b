package dev.ladder.app.cli;

import dev.ladder.app.demo.Demo;
import dev.ladder.app.demo.DemoOptions;
import dev.ladder.text.Durations;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ladder demo}: the whole ladder on this machine with one command, on an embedded broker
 * and a flaky local endpoint. Exit 0 when every event ended in exactly one place in per-key order.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description =
                "Run Ladder against an embedded Kafka broker and a flaky local HTTP endpoint, and check the result.")
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--events", defaultValue = "200", description = "Events to produce (default: ${DEFAULT-VALUE}).")
    int events;

    @Option(
            names = "--duration",
            defaultValue = "90s",
            description = "Longest the demo may run, e.g. 90s or 2m (default: ${DEFAULT-VALUE}).")
    String duration;

    @Option(
            names = "--failure-rate",
            defaultValue = "0.3",
            description =
                    "Share of endpoint calls that fail, 0..1; a tenth of it permanently (default: ${DEFAULT-VALUE}).")
    double failureRate;

    @Option(names = "--keys", defaultValue = "20", description = "Distinct keys (default: ${DEFAULT-VALUE}).")
    int keys;

    @Option(
            names = "--seed",
            defaultValue = "42",
            description = "Seed of keys and endpoint answers, for repeatable runs (default: ${DEFAULT-VALUE}).")
    long seed;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        DemoOptions options;
        try {
            options = new DemoOptions(events, parseDuration(duration), failureRate, keys, seed);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        // the table is the demo's output; Ladder's per-event log lines would drown it
        quietUnlessAsked("ladder.log.level", "WARN");
        quietUnlessAsked("ladder.kafka.log.level", "ERROR");
        Demo demo = new Demo(options, spec.commandLine().getOut(), System.console() != null);
        Thread hook = new Thread(
                () -> {
                    try {
                        demo.stop(Duration.ofSeconds(60));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "ladder-demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return demo.run() ? 0 : 1;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running and waits for run() to finish closing
            }
        }
    }

    /** Sets a log level property of log4j2.xml, unless the user set it; before logging starts. */
    private static void quietUnlessAsked(String property, String level) {
        if (System.getProperty(property) == null) {
            System.setProperty(property, level);
        }
    }

    private Duration parseDuration(String text) {
        try {
            return Durations.parse(text);
        } catch (RuntimeException e) {
            throw new ParameterException(
                    spec.commandLine(), "--duration: '" + text + "' is not a duration such as 90s or 2m");
        }
    }
}
