package dev.ladder.app.dlt;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * How far a replay is, on stderr: on a terminal a bar redrawn in place with the count, the rate and
 * the time left; otherwise (a pipe, a CI log, a Kubernetes job) a plain line every few seconds, so a
 * log is not flooded with redraws. The total is the dead-letter topic's size when the replay
 * started, an upper bound of what it visits; the time left assumes the rate so far holds.
 */
public final class ReplayProgress {

    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 200_000_000L;
    private static final long LINE_NANOS = 5_000_000_000L;

    private final PrintWriter err;
    private final boolean terminal;
    private final long total;
    private final LongSupplier nanoTime;
    private final long start;
    private long lastShown;
    private boolean drawn;

    /**
     * @param terminal true when stderr is a terminal ({@code System.console() != null})
     * @param total records the topic held when the replay started
     */
    public ReplayProgress(PrintWriter err, boolean terminal, long total, LongSupplier nanoTime) {
        this.err = err;
        this.terminal = terminal;
        this.total = total;
        this.nanoTime = nanoTime;
        this.start = nanoTime.getAsLong();
        this.lastShown = start;
    }

    /** Reports progress: {@code visited} dead letters read so far, {@code replayed} of them sent. */
    public void update(long visited, long replayed) {
        long now = nanoTime.getAsLong();
        if (now - lastShown < (terminal ? REDRAW_NANOS : LINE_NANOS)) {
            return;
        }
        lastShown = now;
        if (terminal) {
            err.print("\r" + bar(visited, replayed, now));
            drawn = true;
        } else {
            err.println("replay: " + line(visited, replayed, now));
        }
        err.flush();
    }

    /** Ends the bar's line, so that what follows starts on a line of its own. */
    public void finish(long visited, long replayed) {
        if (terminal && drawn) {
            err.println("\r" + bar(visited, replayed, nanoTime.getAsLong()));
            err.flush();
        }
    }

    /** {@code [#########.....]  1200/5000  24%  replayed 1100  250/s  ETA 0:15}. */
    String bar(long visited, long replayed, long now) {
        double share = total == 0 ? 1 : Math.min(1, (double) visited / total);
        int filled = (int) Math.round(share * WIDTH);
        return "[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "]  " + line(visited, replayed, now);
    }

    /** {@code 1200/5000 read (24%), replayed 1100, 250/s, ETA 0:15}. */
    String line(long visited, long replayed, long now) {
        double seconds = Math.max(1e-9, (now - start) / 1e9);
        double rate = visited / seconds;
        long left = Math.max(0, total - visited);
        String eta = rate <= 0 ? "?" : clock(Duration.ofSeconds((long) Math.ceil(left / rate)));
        long percent = total == 0 ? 100 : Math.min(100, visited * 100 / total);
        return String.format(
                Locale.ROOT,
                "%d/%d read (%d%%), replayed %d, %.0f/s, ETA %s",
                visited,
                total,
                percent,
                replayed,
                rate,
                eta);
    }

    private static String clock(Duration d) {
        long h = d.toHours();
        return h > 0
                ? String.format(Locale.ROOT, "%d:%02d:%02d", h, d.toMinutesPart(), d.toSecondsPart())
                : String.format(Locale.ROOT, "%d:%02d", d.toMinutesPart(), d.toSecondsPart());
    }
}
