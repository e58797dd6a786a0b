package dev.ladder.app.demo;

import dev.ladder.app.LadderApp;
import dev.ladder.app.TopicSetup;
import dev.ladder.app.embedded.EmbeddedKafka;
import dev.ladder.config.LadderConfig;
import dev.ladder.policy.LadderSettings;
import dev.ladder.policy.TopicNames;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.utils.Utils;

/**
 * {@code ladder demo}: a real broker in this JVM, a flaky HTTP endpoint, Ladder between them, and
 * a producer of keyed orders; a live table while events climb the ladder, then a verdict. Needs no
 * broker and no configuration file.
 *
 * <pre>{@code
 * try (Demo demo = new Demo(options, System.out, false)) {
 *     boolean ok = demo.run().ok();
 * }
 * }</pre>
 */
public final class Demo implements AutoCloseable {

    private final DemoOptions options;
    private final PrintWriter out;
    private final boolean redraw;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final List<AutoCloseable> resources = new ArrayList<>();
    private volatile boolean stopping;
    private Path workDir;

    /**
     * @param redraw redraw the live table in place (ANSI), for a terminal
     */
    public Demo(DemoOptions options, PrintWriter out, boolean redraw) {
        this.options = options;
        this.out = out;
        this.redraw = redraw;
    }

    /** Runs the demo to its end (all events settled, time up, or {@link #stop()}) and prints the summary. */
    public boolean run() throws IOException, InterruptedException {
        try {
            return runToEnd().ok();
        } finally {
            close();
            finished.countDown();
        }
    }

    private DemoSummary runToEnd() throws IOException, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + options.duration().toNanos();
        workDir = Files.createTempDirectory("ladder-demo-");
        out.println("starting an embedded Kafka broker ...");
        out.flush();
        EmbeddedKafka kafka = own(new EmbeddedKafka()).start();
        kafka.createTopic(DemoLadder.MAIN_TOPIC, DemoLadder.PARTITIONS);
        FlakyEndpoint endpoint = own(new FlakyEndpoint(options.seed(), options.failureRate()));
        String opsToken = DemoLadder.randomToken();
        LadderConfig config = DemoLadder.config(kafka.bootstrapServers(), endpoint.uri(), workDir, opsToken);
        LadderSettings settings = config.toSettings();
        TopicNames topics = settings.topics();
        createTopics(kafka.bootstrapServers(), settings);
        LadderApp app = own(new LadderApp(config, null, true)).start();
        out.printf(
                "broker %s ready in %.1fs; endpoint %s fails %.0f%% of calls%n",
                kafka.bootstrapServers(),
                (System.nanoTime() - start) / 1e9,
                endpoint.uri(),
                options.failureRate() * 100);
        out.printf("Ladder: %s -> %s%n", topics.main(), String.join(" -> ", topics.sinks()));
        // the token rides in the fragment, which the browser never sends: the console keeps it for the tab
        out.printf("console: http://localhost:%d/console/#token=%s%n", app.port(), opsToken);
        out.printf(
                "tiers 2s x2, 5s x2, 10s x1; producing %d events over %d keys (seed %d)%n%n",
                options.events(), options.keys(), options.seed());
        Outcomes outcomes = own(new Outcomes(kafka.bootstrapServers(), topics, DemoLadder.PARTITIONS));
        DemoProducer producer =
                own(new DemoProducer(kafka.bootstrapServers(), options)).start();
        LiveTable table = new LiveTable(topics, app.metrics().registry(), out, redraw);
        long nextPrint = System.nanoTime();
        while (!stopping && System.nanoTime() < deadline && app.failure().isEmpty()) {
            outcomes.poll(Duration.ofMillis(100));
            if (System.nanoTime() >= nextPrint) {
                table.print(
                        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start),
                        producer.produced().size(),
                        outcomes);
                nextPrint += TimeUnit.SECONDS.toNanos(1);
            }
            if (producer.failure() != null || settled(producer, outcomes)) {
                break;
            }
        }
        // one more read: a duplicate would show up right behind the last event
        outcomes.poll(Duration.ofMillis(500));
        table.print(
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start),
                producer.produced().size(),
                outcomes);
        out.println();
        report(app, producer, deadline);
        DemoSummary summary = DemoSummary.of(producer.produced(), outcomes, endpoint.accepted(), stopping);
        summary.print(out);
        return summary;
    }

    private void report(LadderApp app, DemoProducer producer, long deadline) {
        app.failure().ifPresent(f -> out.println("Ladder failed: " + f));
        if (producer.failure() != null) {
            out.println("producing failed: " + producer.failure());
        }
        if (stopping) {
            out.println("stopped before every event settled");
        } else if (System.nanoTime() >= deadline) {
            out.println("--duration " + options.duration().toSeconds() + "s ran out before every event settled");
        }
    }

    private static boolean settled(DemoProducer producer, Outcomes outcomes) {
        if (!producer.done()) {
            return false;
        }
        List<String> produced = producer.produced();
        return !produced.isEmpty() && outcomes.places().keySet().containsAll(produced);
    }

    private void createTopics(String bootstrapServers, LadderSettings settings) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            // what `ladder topics create` does: every Ladder topic with the main topic's partition count
            new TopicSetup(admin, Duration.ofSeconds(30)).ensure(settings, true, Optional.empty());
        }
    }

    private <T extends AutoCloseable> T own(T resource) {
        synchronized (resources) {
            resources.add(resource);
        }
        return resource;
    }

    /** Asks a running demo to stop (Ctrl-C) and waits until it has closed everything. */
    public void stop(Duration wait) throws InterruptedException {
        stopping = true;
        finished.await(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Closes producer, watcher, Ladder, endpoint and broker, newest first. Safe to call twice. */
    @Override
    public void close() {
        List<AutoCloseable> toClose;
        synchronized (resources) {
            toClose = new ArrayList<>(resources);
            resources.clear();
        }
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (Exception e) {
                out.println("while closing " + toClose.get(i).getClass().getSimpleName() + ": " + e);
            }
        }
        if (workDir != null) {
            try {
                Utils.delete(workDir.toFile());
            } catch (IOException e) {
                out.println("could not delete " + workDir + ": " + e);
            }
        }
    }
}
