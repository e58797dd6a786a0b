package dev.ladder.app.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ladder status EVENT_ID --url URL}: where an event is (RETRYING with tier, attempts, due
 * time and last error; PARKED; SUCCEEDED; DEAD_LETTERED; DROPPED). Any instance answers: it asks
 * the others when the event is not on its partitions. Exit 0 when found, 1 when unknown.
 */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show where an event is.")
final class StatusCommand implements Callable<Integer> {

    @Parameters(paramLabel = "EVENT_ID", description = "The event id.")
    String eventId;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--url",
            required = true,
            description = "Ops URL of any Ladder instance, e.g. http://ladder-0:8080.")
    String url;

    @Mixin
    OpsTokenOption token;

    @Override
    public Integer call() throws Exception {
        OpsHttp.Reply reply = OpsHttp.call(url, "GET", "/events/" + OpsHttp.segment(eventId), token);
        spec.commandLine().getOut().println(reply.body());
        spec.commandLine().getOut().flush();
        return reply.status() == 200 ? 0 : 1;
    }
}
