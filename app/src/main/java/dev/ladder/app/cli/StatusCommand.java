package dev.ladder.app.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code ladder status EVENT_ID --url URL}: where an event is (RETRYING with tier, attempts, due
 * time and last error; PARKED; SUCCEEDED; DEAD_LETTERED; DROPPED). Any instance answers: it asks
 * the others when the event is not on its partitions. Exit 0 when found, 1 when unknown.
 */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "Show where an event is, as JSON on stdout (exit 1 when no instance knows it).",
        footerHeading = "%nExamples:%n",
        footer = {"  ladder status 8f0c2a6e-77f1-4d0b-9a43-4d1c1b1a2f10 --url http://ladder-0:8080 | jq .status"})
final class StatusCommand implements Callable<Integer> {

    @Parameters(paramLabel = "EVENT_ID", description = "The event id.")
    String eventId;

    @Mixin
    InstanceOptions instance;

    @Override
    public Integer call() throws Exception {
        // any instance answers: it asks the others when the event is not on its partitions
        return instance.call("GET", "/events/" + OpsHttp.segment(eventId), 200);
    }
}
