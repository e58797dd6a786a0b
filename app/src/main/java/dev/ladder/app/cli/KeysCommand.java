package dev.ladder.app.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ladder keys}: keys held after their head was dead-lettered under {@code ordering.on-dead-letter: hold}. */
@Command(
        name = "keys",
        mixinStandardHelpOptions = true,
        description = "List and release held keys.",
        subcommands = {KeysCommand.Blocked.class, KeysCommand.Release.class})
final class KeysCommand {

    /** {@code ladder keys blocked --url URL}: the keys held on that instance's partitions, as JSON. */
    @Command(name = "blocked", mixinStandardHelpOptions = true, description = "List the keys held on an instance.")
    static final class Blocked implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(
                names = "--url",
                required = true,
                description = "Ops URL of a Ladder instance, e.g. http://ladder-0:8080.")
        String url;

        @Mixin
        OpsTokenOption token;

        @Override
        public Integer call() throws Exception {
            OpsHttp.Reply reply = OpsHttp.call(url, "GET", "/keys/blocked", token);
            spec.commandLine().getOut().println(reply.body());
            spec.commandLine().getOut().flush();
            return reply.status() == 200 ? 0 : 1;
        }
    }

    /** {@code ladder keys release KEY --url URL}: lets a held key's parked events run. */
    @Command(
            name = "release",
            mixinStandardHelpOptions = true,
            description = "Release a held key: its parked events run, in order. Ask the instance that holds it.")
    static final class Release implements Callable<Integer> {

        @Parameters(paramLabel = "KEY", description = "The key, as UTF-8 text (Base64 with --base64).")
        String key;

        @Spec
        CommandSpec spec;

        @Option(names = "--url", required = true, description = "Ops URL of the Ladder instance that holds the key.")
        String url;

        @Mixin
        OpsTokenOption token;

        @Option(names = "--base64", description = "KEY is the Base64 of a binary key.")
        boolean base64;

        @Override
        public Integer call() throws Exception {
            OpsHttp.Reply reply = OpsHttp.call(
                    url,
                    "POST",
                    "/keys/" + OpsHttp.segment(key) + "/release" + (base64 ? "?encoding=base64" : ""),
                    token);
            spec.commandLine().getOut().println(reply.body());
            spec.commandLine().getOut().flush();
            return reply.status() == 202 ? 0 : 1;
        }
    }
}
