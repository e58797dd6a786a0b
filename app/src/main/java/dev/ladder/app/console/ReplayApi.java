package dev.ladder.app.console;

import com.sun.net.httpserver.HttpExchange;
import dev.ladder.app.dlt.ClientProperties;
import dev.ladder.app.dlt.DeadLetterScanner;
import dev.ladder.app.dlt.ReplayRecords;
import dev.ladder.app.dlt.Replayer;
import dev.ladder.app.ops.Audit;
import dev.ladder.app.ops.JsonReply;
import dev.ladder.app.ops.OpsAuth;
import dev.ladder.kernel.LadderHeaders;
import dev.ladder.policy.LadderSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Replay from the console, through the same {@link Replayer} as {@code ladder dlt replay}, so the
 * replay ids (and with them the processor's exactly-once drop of a replay run twice) are the same:
 *
 * <ul>
 *   <li>{@code GET /api/replay/preview?<filters>&selection=&all=}: the dry run: how many dead
 *       letters would be sent (and how many are Ladder's own records, never sent), with a sample.
 *   <li>{@code POST /api/replay?<filters>&selection=&all=&rate=}: starts the replay (operator
 *       token); 202 with its id, 409 while another runs on this instance.
 *   <li>{@code GET /api/replay/{id}}: its progress: replayed, skipped, state.
 * </ul>
 *
 * Every started replay is written to the audit log when it ends, with the count it sent.
 */
final class ReplayApi implements AutoCloseable {

    static final int SAMPLE = 10;

    private final ConsoleContext context;
    private final Map<String, ReplayJob> jobs = new ConcurrentHashMap<>();
    private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ladder-console-replay");
        t.setDaemon(true);
        return t;
    });
    private volatile ReplayJob current;

    ReplayApi(ConsoleContext context) {
        this.context = context;
    }

    void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String method = ex.getRequestMethod();
        if (path.equals("/api/replay/preview") && method.equals("GET")) {
            preview(ex);
        } else if ((path.equals("/api/replay") || path.equals("/api/replay/")) && method.equals("POST")) {
            start(ex);
        } else if (path.startsWith("/api/replay/") && method.equals("GET")) {
            ReplayJob job = jobs.get(path.substring("/api/replay/".length()));
            if (job == null) {
                JsonReply.send(ex, 404, Map.of("error", "no such replay on this instance"));
            } else {
                JsonReply.send(ex, 200, job.view());
            }
        } else {
            JsonReply.send(ex, 405, Map.of("error", "GET /api/replay/preview, POST /api/replay, GET /api/replay/{id}"));
        }
    }

    private void preview(HttpExchange ex) throws IOException {
        Map<String, String> params = HttpQuery.parse(ex.getRequestURI().getRawQuery());
        DeadLetterQuery query = query(params);
        LadderSettings settings = context.settings().get();
        Properties props = context.requireProps();
        StringWriter sample = new StringWriter();
        Replayer.Result result;
        try (DeadLetterScanner scanner = DeadLetterQuery.scanner(props, settings, context.envelopeSerde(), "preview")) {
            ReplayRecords.Target target = target(settings, scanner);
            PrintWriter out = new PrintWriter(new FirstLines(sample, SAMPLE));
            result = new Replayer(null, target, Replayer.UNPACED, out, new PrintWriter(Writer.nullWriter()))
                    .run(scanner, query.matches());
            out.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("selection", query.describe());
        body.put("to", settings.topics().main());
        body.put("wouldReplay", result.replayed());
        body.put("notEvents", result.internal());
        body.put("sample", sample.toString().lines().map(JsonReply::parse).toList());
        if (settings.eventIdHeader() == null) {
            body.put(
                    "warning",
                    "idempotency.header is not set: replaying the same dead letters twice processes them twice");
        }
        JsonReply.send(ex, 200, body);
    }

    private synchronized void start(HttpExchange ex) throws IOException {
        Map<String, String> params = HttpQuery.parse(ex.getRequestURI().getRawQuery());
        DeadLetterQuery query = query(params);
        Double rate = null;
        if (params.containsKey("rate")) {
            rate = (double) HttpQuery.intParam(params, "rate", 0, 1, 100_000);
        }
        if (current != null && current.running()) {
            JsonReply.send(ex, 409, Map.of("error", "a replay is running on this instance", "id", current.id()));
            return;
        }
        LadderSettings settings = context.settings().get();
        Properties props = context.requireProps();
        ReplayJob job = new ReplayJob(
                UUID.randomUUID().toString(),
                OpsAuth.callerOf(ex),
                query.describe(),
                settings.topics().main(),
                rate);
        jobs.put(job.id(), job);
        current = job;
        Double perSecond = rate;
        runner.execute(() -> run(job, query, settings, props, perSecond));
        JsonReply.send(ex, 202, job.view());
    }

    private void run(ReplayJob job, DeadLetterQuery query, LadderSettings settings, Properties props, Double rate) {
        String transactionalId = props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG) + "-replay-" + job.id();
        try (DeadLetterScanner scanner = DeadLetterQuery.scanner(props, settings, context.envelopeSerde(), "replay");
                Producer<byte[], byte[]> producer =
                        new KafkaProducer<>(ClientProperties.producer(props, transactionalId))) {
            Replayer.Result result = new Replayer(
                            producer,
                            target(settings, scanner),
                            rate != null ? rate : Replayer.defaultRate(settings.rateLimit()),
                            new PrintWriter(Writer.nullWriter()),
                            new PrintWriter(Writer.nullWriter()))
                    .run(scanner, query.matches(), job::progress);
            // audit first: whoever sees the job done may look for its line
            Audit.record(job.caller(), "replay", result.replayed(), job.describe() + ": " + result.summary());
            job.finish(result);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            job.fail("stopped: Ladder is shutting down");
            Audit.record(job.caller(), "replay", 0, job.describe() + ": stopped before its end");
        } catch (RuntimeException e) {
            // whatever it was, the job must not stay "running": that would refuse every later replay
            job.fail(e.getClass().getSimpleName() + ": " + e.getMessage());
            Audit.record(job.caller(), "replay", 0, job.describe() + ": failed: " + e.getMessage());
        }
    }

    private static DeadLetterQuery query(Map<String, String> params) {
        DeadLetterQuery query = DeadLetterQuery.of(params, Instant.now());
        if (query.isEverything() && !"true".equals(params.get("all"))) {
            throw new IllegalArgumentException(
                    "choose dead letters by a filter or a selection, or all=true for every one");
        }
        return query;
    }

    private static ReplayRecords.Target target(LadderSettings settings, DeadLetterScanner scanner) {
        String main = settings.topics().main();
        String idHeader = settings.eventIdHeader() == null ? LadderHeaders.DEFAULT_EVENT_ID : settings.eventIdHeader();
        return ReplayRecords.Target.of(settings, main, scanner.partitionCount(main), idHeader);
    }

    @Override
    public void close() {
        runner.shutdownNow();
    }
}
