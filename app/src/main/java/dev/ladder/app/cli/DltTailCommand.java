package dev.ladder.app.cli;

import dev.ladder.app.dlt.DeadLetterFilter;
import dev.ladder.app.dlt.DeadLetterPrinter;
import dev.ladder.app.dlt.DeadLetterScanner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ladder dlt tail}: follows new dead letters until Ctrl-C. */
@Command(
        name = "tail",
        mixinStandardHelpOptions = true,
        description = "Follow new dead letters until Ctrl-C.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  ladder dlt tail -c ladder.yaml",
            "  ladder dlt tail -c ladder.yaml --max 1 --exception Schema   # wait for the next schema failure"
        })
final class DltTailCommand implements Callable<Integer> {

    @Mixin
    DltOptions options;

    @Option(names = "--max", description = "Stop after printing this many.")
    Long max;

    @Override
    public Integer call() throws Exception {
        DeadLetterFilter filter = options.filter();
        DeadLetterPrinter printer = options.printer(false);
        return options.reaching(() -> follow(filter, printer));
    }

    private int follow(DeadLetterFilter filter, DeadLetterPrinter printer) {
        long[] printed = {0};
        try (DeadLetterScanner scanner = options.scanner("tail")) {
            scanner.follow(
                    d -> {
                        if (filter.matches(d)) {
                            printer.print(d);
                            printed[0]++;
                        }
                        return max == null || printed[0] < max;
                    },
                    () -> !Thread.currentThread().isInterrupted(),
                    () -> options.spec
                            .commandLine()
                            .getErr()
                            .println("following " + options.topic() + " (Ctrl-C to stop)"));
        }
        return LadderCli.OK;
    }
}
