package dev.ladder.app.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ladder keys}: keys held after their head was dead-lettered under {@code ordering.on-dead-letter: hold}. */
@Command(
        name = "keys",
        mixinStandardHelpOptions = true,
        description = "List and release held keys.",
        subcommands = {KeysCommand.Blocked.class, KeysCommand.Release.class})
final class KeysCommand {

    /** {@code ladder keys blocked --url URL}: the keys held on that instance's partitions, as JSON. */
    @Command(
            name = "blocked",
            mixinStandardHelpOptions = true,
            description = "List the keys held on an instance, as JSON on stdout.",
            footerHeading = "%nExamples:%n",
            footer = {"  ladder keys blocked --url http://ladder-0:8080 | jq ."})
    static final class Blocked implements Callable<Integer> {

        @Mixin
        InstanceOptions instance;

        @Override
        public Integer call() throws Exception {
            return instance.call("GET", "/keys/blocked", 200);
        }
    }

    /** {@code ladder keys release KEY --url URL}: lets a held key's parked events run. */
    @Command(
            name = "release",
            mixinStandardHelpOptions = true,
            description = "Release a held key: its parked events run, in order. Ask the instance that holds it.",
            footerHeading = "%nExamples:%n",
            footer = {
                "  ladder keys release customer-42 --url http://ladder-0:8080",
                "  ladder keys release AAECAw== --base64 --url http://ladder-1:8080"
            })
    static final class Release implements Callable<Integer> {

        @Parameters(paramLabel = "KEY", description = "The key, as UTF-8 text (Base64 with --base64).")
        String key;

        @Mixin
        InstanceOptions instance;

        @Option(names = "--base64", description = "KEY is the Base64 of a binary key.")
        boolean base64;

        @Override
        public Integer call() throws Exception {
            // ask the instance that holds the key: only its stores can release it
            return instance.call(
                    "POST", "/keys/" + OpsHttp.segment(key) + "/release" + (base64 ? "?encoding=base64" : ""), 202);
        }
    }
}
