package dev.ladder.app.cli;

import dev.ladder.app.dlt.DeadLetter;
import dev.ladder.app.dlt.DeadLetterPrinter;
import dev.ladder.app.dlt.DeadLetterScanner;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code ladder dlt show REF}: one dead letter in full, with its error history. */
@Command(
        name = "show",
        mixinStandardHelpOptions = true,
        description = "Show dead letters in full, with the error history.",
        footerHeading = "%nExamples:%n",
        footer = {
            "  ladder dlt show -c ladder.yaml 2@1041           # PARTITION@OFFSET in the dead-letter topic",
            "  ladder dlt show -c ladder.yaml 8f0c2a6e-77f1-4d0b-9a43-4d1c1b1a2f10 --format table"
        })
final class DltShowCommand implements Callable<Integer> {

    private static final Pattern COORDINATES = Pattern.compile("(\\d+)@(\\d+)");

    @Mixin
    DltOptions options;

    @Parameters(
            paramLabel = "REF",
            description = "PARTITION@OFFSET in the dead-letter topic, or an event id (every match is shown).")
    String ref;

    @Override
    public Integer call() throws Exception {
        DeadLetterPrinter printer = options.printer(true);
        int shown = options.reaching(() -> show(printer));
        if (shown == 0) {
            options.spec.commandLine().getErr().println("ladder: no dead letter " + ref + " in " + options.topic());
            return LadderCli.FAILED;
        }
        return LadderCli.OK;
    }

    /** Prints what {@code ref} names; how many dead letters that was. */
    private int show(DeadLetterPrinter printer) {
        int[] shown = {0};
        try (DeadLetterScanner scanner = options.scanner("show")) {
            Matcher m = COORDINATES.matcher(ref);
            if (m.matches()) {
                Optional<DeadLetter> d = scanner.at(Integer.parseInt(m.group(1)), Long.parseLong(m.group(2)));
                d.ifPresent(printer::print);
                shown[0] = d.isPresent() ? 1 : 0;
            } else {
                scanner.scan(d -> {
                    if (ref.equals(d.eventId())) {
                        printer.print(d);
                        shown[0]++;
                    }
                    return true;
                });
            }
        }
        return shown[0];
    }
}
