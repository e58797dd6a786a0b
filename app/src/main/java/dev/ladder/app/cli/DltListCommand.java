package dev.ladder.app.cli;

import dev.ladder.app.dlt.DeadLetterFilter;
import dev.ladder.app.dlt.DeadLetterPrinter;
import dev.ladder.app.dlt.DeadLetterScanner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ladder dlt list}: every dead letter committed so far that matches the filters. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List dead letters.")
final class DltListCommand implements Callable<Integer> {

    @Mixin
    DltOptions options;

    @Override
    public Integer call() {
        DeadLetterFilter filter = options.filter();
        DeadLetterPrinter printer = options.printer(false);
        try (DeadLetterScanner scanner = options.scanner("list")) {
            scanner.scan(d -> {
                if (filter.matches(d)) {
                    printer.print(d);
                }
                return true;
            });
        }
        return 0;
    }
}
