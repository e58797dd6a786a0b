package dev.ladder.it;

import static org.awaitility.Awaitility.await;

import dev.ladder.app.LadderApp;
import dev.ladder.app.cli.LadderCli;
import dev.ladder.config.LadderConfigLoader;
import dev.ladder.handler.Event;
import dev.ladder.handler.EventHandler;
import dev.ladder.handler.Outcome;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.apache.kafka.streams.KafkaStreams;

/** Ladder configuration files, running apps and CLI runs for the operations ITs. */
final class OpsFixture {

    /** The outcome of a CLI run. */
    record Run(int exitCode, String out, String err) {
        List<String> lines() {
            return out.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    /** A handler that records the values it saw (with the event id) and answers by a script. */
    static final class Recording implements EventHandler {
        final List<String> calls = new CopyOnWriteArrayList<>();
        private final Function<Event, Outcome> script;

        Recording(Function<Event, Outcome> script) {
            this.script = script;
        }

        @Override
        public Outcome handle(Event event) {
            calls.add(text(event.value()) + "|" + event.eventId());
            return script.apply(event);
        }

        List<String> values() {
            return calls.stream().map(c -> c.substring(0, c.indexOf('|'))).toList();
        }
    }

    private OpsFixture() {}

    /**
     * A configuration file: one 1s tier of one attempt, fast punctuation, a free ops port, the ops
     * tokens of {@link OpsTokens} (files in {@code dir}).
     */
    static Path config(Path dir, KafkaBroker broker, String main, String appId, String extra) {
        String yaml = "application-id: " + appId + "\n"
                + "bootstrap-servers: " + broker.bootstrapServers() + "\n"
                + "state-dir: " + dir.resolve("state-" + System.nanoTime()) + "\n"
                + "topics:\n  main: " + main + "\n"
                + "retry:\n  tiers:\n    - delay: 1s\n      attempts: 1\n"
                + "punctuation-interval: 200ms\n"
                + "handler:\n  http:\n    url: http://localhost:1/unused\n"
                + "server:\n  port: 0\n"
                + OpsTokens.SERVER_AUTH
                + extra;
        try {
            OpsTokens.writeFiles(dir);
            return Files.writeString(dir.resolve("ladder-" + System.nanoTime() + ".yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts an app on the configuration and waits until Streams runs. */
    static LadderApp start(Path config, EventHandler handler) {
        LadderApp app = new LadderApp(LadderConfigLoader.load(config), handler, true).start();
        await("Ladder running").atMost(Duration.ofSeconds(60)).until(() -> app.state() == KafkaStreams.State.RUNNING);
        return app;
    }

    /** Runs {@code ladder ARGS} in this JVM. */
    static Run cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cli = LadderCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
