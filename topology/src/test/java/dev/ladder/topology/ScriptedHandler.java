package dev.ladder.topology;

import dev.ladder.handler.Event;
import dev.ladder.handler.EventHandler;
import dev.ladder.handler.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A handler whose outcomes a test scripts, and which records every call. */
final class ScriptedHandler implements EventHandler {

    /** Decides one call's outcome; may throw. */
    @FunctionalInterface
    interface Script {
        Outcome apply(Event event) throws Exception;
    }

    /** One recorded call. */
    record Call(String eventId, String key, String value, int attempt, int tier, int historySize) {}

    private final Script script;
    private final List<Call> calls = new CopyOnWriteArrayList<>();

    ScriptedHandler(Script script) {
        this.script = script;
    }

    static ScriptedHandler alwaysSucceeds() {
        return new ScriptedHandler(e -> Outcome.success());
    }

    @Override
    public Outcome handle(Event event) throws Exception {
        calls.add(new Call(
                event.eventId(),
                text(event.key()),
                text(event.value()),
                event.attempt(),
                event.tier(),
                event.history().size()));
        return script.apply(event);
    }

    List<Call> calls() {
        return calls;
    }

    /** The values handled, in call order. */
    List<String> values() {
        return calls.stream().map(Call::value).toList();
    }

    static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
