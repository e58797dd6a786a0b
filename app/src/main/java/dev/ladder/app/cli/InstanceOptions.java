package dev.ladder.app.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options of the commands that ask a running instance over its ops port ({@code keys},
 * {@code status}), a picocli mixin: where it is, how long to wait, and the one way its answer is
 * printed (the JSON body on stdout; the exit code from the status), and the bearer token it sends.
 */
final class InstanceOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Mixin
    TimeoutOption timeout;

    @Mixin
    OpsTokenOption token;

    @Option(
            names = "--url",
            required = true,
            paramLabel = "URL",
            description = "Ops URL of a Ladder instance, e.g. http://ladder-0:8080.")
    String url;

    /**
     * Calls the instance and prints its answer on stdout.
     *
     * @return {@link LadderCli#OK} when it answered {@code expected}, else {@link LadderCli#FAILED}
     */
    int call(String method, String path, int expected) throws InterruptedException, java.io.IOException {
        OpsHttp.Reply reply = OpsHttp.call(url, method, path, timeout.timeout, token.token());
        PrintWriter out = spec.commandLine().getOut();
        out.println(reply.body());
        out.flush();
        return reply.status() == expected ? LadderCli.OK : LadderCli.FAILED;
    }
}
