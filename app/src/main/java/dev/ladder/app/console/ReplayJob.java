package dev.ladder.app.console;

import dev.ladder.app.dlt.Replayer;
import dev.ladder.app.ops.OpsAuth;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One replay the console started: who asked for what, and how far it got. Updated by the replay's
 * thread, read by status requests.
 */
final class ReplayJob {

    /** Where a replay is. */
    enum State {
        RUNNING,
        DONE,
        FAILED
    }

    private final String id;
    private final OpsAuth.Caller caller;
    private final String selection;
    private final String target;
    private final Double rate;
    private final Instant started = Instant.now();
    private volatile Replayer.Result progress = new Replayer.Result(0, 0, 0, 0);
    private volatile State state = State.RUNNING;
    private volatile String error;
    private volatile Instant finished;

    ReplayJob(String id, OpsAuth.Caller caller, String selection, String target, Double rate) {
        this.id = id;
        this.caller = caller;
        this.selection = selection;
        this.target = target;
        this.rate = rate;
    }

    String id() {
        return id;
    }

    OpsAuth.Caller caller() {
        return caller;
    }

    boolean running() {
        return state == State.RUNNING;
    }

    void progress(Replayer.Result counts) {
        progress = counts;
    }

    void finish(Replayer.Result result) {
        progress = result;
        state = result.failed() == 0 ? State.DONE : State.FAILED;
        if (result.failed() > 0) {
            error = result.failed() + " records of a transaction that could not commit were not sent";
        }
        finished = Instant.now();
    }

    void fail(String reason) {
        error = reason;
        state = State.FAILED;
        finished = Instant.now();
    }

    /** What the replay does, for the audit log. */
    String describe() {
        return "replay " + id + " of " + selection + " to " + target + (rate == null ? "" : " at " + rate + "/s");
    }

    Map<String, Object> view() {
        Replayer.Result p = progress;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("state", state.name().toLowerCase(java.util.Locale.ROOT));
        m.put("by", caller.name());
        m.put("selection", selection);
        m.put("to", target);
        m.put("rate", rate);
        m.put("replayed", p.replayed());
        m.put("skipped", p.skipped());
        m.put("failed", p.failed());
        m.put("notEvents", p.internal());
        m.put("started", started.toString());
        m.put("finished", finished == null ? null : finished.toString());
        m.put("error", error);
        return m;
    }
}
