package dev.ladder.app.demo;

import dev.ladder.kernel.LadderMetrics;
import dev.ladder.policy.TopicNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's live view, one block a second: per topic, how many events are waiting there, and
 * how many were retried, succeeded or dead-lettered when read from it. Plain lines that read well
 * in a file; on a terminal the block redraws in place.
 *
 * <p>"Waiting" is the parked gauge on the main topic (followers held behind a retrying event of
 * their key) and, on a tier, records that arrived but have not had their attempt yet.
 */
final class LiveTable {

    private static final String FORMAT = "%-24s %8s %8s %8s %10s %8s%n";

    private final TopicNames topics;
    private final MeterRegistry registry;
    private final PrintWriter out;
    private final boolean redraw;
    private int lastLines;

    LiveTable(TopicNames topics, MeterRegistry registry, PrintWriter out, boolean redraw) {
        this.topics = topics;
        this.registry = registry;
        this.out = out;
        this.redraw = redraw;
    }

    /** Prints the table once. */
    void print(long elapsedSeconds, long produced, Outcomes outcomes) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(
                "t=%3ds  produced %d  timers pending %d  parked %d",
                elapsedSeconds, produced, gauge(LadderMetrics.TIMERS_PENDING), gauge(LadderMetrics.PARKED_EVENTS)));
        lines.add(String.format(FORMAT, "topic", "waiting", "retried", "success", "dead-letter", "records")
                .stripTrailing());
        lines.add(row(topics.main(), gauge(LadderMetrics.PARKED_EVENTS), produced));
        for (String tier : topics.tiers()) {
            long in = outcomes.records(tier);
            long done = count(tier, "retried")
                    + count(tier, "succeeded")
                    + count(tier, "dead_lettered")
                    + count(tier, "duplicate");
            lines.add(row(tier, Math.max(0, in - done), in));
        }
        lines.add(String.format(FORMAT, topics.deadLetter(), "", "", "", "", outcomes.records(topics.deadLetter()))
                .stripTrailing());
        topics.output()
                .ifPresent(o -> lines.add(String.format(FORMAT, o, "", "", "", "", outcomes.records(o))
                        .stripTrailing()));
        if (redraw && lastLines > 0) {
            out.print("\033[" + lastLines + "A\033[J");
        }
        lines.forEach(out::println);
        if (!redraw) {
            out.println();
        }
        out.flush();
        lastLines = lines.size();
    }

    private String row(String topic, long waiting, long records) {
        return String.format(
                        FORMAT,
                        topic,
                        waiting,
                        count(topic, "retried"),
                        count(topic, "succeeded"),
                        count(topic, "dead_lettered"),
                        records)
                .stripTrailing();
    }

    private long count(String topic, String outcome) {
        Counter c = registry.find(LadderMetrics.EVENTS)
                .tags("topic", topic, "outcome", outcome)
                .counter();
        return c == null ? 0 : (long) c.count();
    }

    private long gauge(String name) {
        Gauge g = registry.find(name).gauge();
        return g == null ? 0 : (long) g.value();
    }
}
