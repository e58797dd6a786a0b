package dev.ladder.app.cli;

import dev.ladder.app.dlt.DeadLetterFilter;
import dev.ladder.app.dlt.DeadLetterPrinter;
import dev.ladder.app.dlt.DeadLetterScanner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ladder dlt list}: every dead letter committed so far that matches the filters. */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "List dead letters committed so far: JSON lines on stdout, one dead letter each.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  ladder dlt list -c ladder.yaml --since 2h",
            "  ladder dlt list -c ladder.yaml --exception Timeout --format table",
            "  ladder dlt list -c ladder.yaml --http-status 422 | jq -r .eventId",
            "  ladder dlt list -c ladder.yaml --dlt-topic orders.DLT   # Spring Kafka's"
        })
final class DltListCommand implements Callable<Integer> {

    @Mixin
    DltOptions options;

    @Override
    public Integer call() throws Exception {
        DeadLetterFilter filter = options.filter();
        DeadLetterPrinter printer = options.printer(false);
        return options.reaching(() -> {
            try (DeadLetterScanner scanner = options.scanner("list")) {
                scanner.scan(d -> {
                    if (filter.matches(d)) {
                        printer.print(d);
                    }
                    return true;
                });
            }
            return LadderCli.OK;
        });
    }
}
