package dev.ladder.app;

import dev.ladder.app.console.Console;
import dev.ladder.app.console.ConsoleContext;
import dev.ladder.app.dlt.OperatorEndpoints;
import dev.ladder.app.ops.OpsAuth;
import dev.ladder.app.ops.OpsMetrics;
import dev.ladder.app.ops.OpsServer;
import dev.ladder.avro.RetryEnvelope;
import dev.ladder.config.HandlerConfig;
import dev.ladder.config.HttpConfig;
import dev.ladder.config.LadderConfig;
import dev.ladder.downstream.DownstreamGate;
import dev.ladder.handler.EventHandler;
import dev.ladder.handler.HandlerLoader;
import dev.ladder.handler.http.HttpEventHandler;
import dev.ladder.handler.http.HttpHandlerSettings;
import dev.ladder.kernel.LadderClock;
import dev.ladder.kernel.LadderMetrics;
import dev.ladder.policy.LadderSettings;
import dev.ladder.policy.LiveSettings;
import dev.ladder.topology.LadderProductionExceptionHandler;
import dev.ladder.topology.LadderTopology;
import io.micrometer.core.instrument.Gauge;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deployable processor: health and metrics server, topic checks, and the Kafka Streams
 * instance running the ladder topology. {@link #start()} returns at once; the app is live
 * immediately and ready only once Streams is RUNNING. While the broker cannot be reached it waits
 * (not ready), retrying; a topic mistake (missing main topic, partition counts that differ) stops
 * it with a message that says what to fix.
 */
public final class LadderApp implements AutoCloseable {

    /** Gauge: 1 while a changed configuration file waits for a restart to apply. */
    public static final String RESTART_REQUIRED_METRIC = "ladder.config.restart.required";

    private static final Logger log = LoggerFactory.getLogger(LadderApp.class);

    private final LadderConfig config;
    private final LadderSettings settings;
    private final LiveSettings live;
    private final EventHandler handler;
    private final ConfigReloader reloader;
    private final boolean createTopics;
    private final OpsMetrics opsMetrics = new OpsMetrics();
    private final LadderMetrics metrics = new LadderMetrics(opsMetrics.registry());
    private final DownstreamGate gate;
    private final Serde<RetryEnvelope> envelopeSerde;
    private volatile ConfigWatcher watcher;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile KafkaStreams streams;
    private volatile OpsServer ops;
    private volatile OperatorEndpoints operators;
    private volatile Console console;
    private volatile Properties streamsProps;
    private volatile String failure;
    private volatile String restartRequested;
    private volatile boolean closing;
    private boolean closed;
    private Thread startup;

    /**
     * @param config the validated configuration
     * @param handler the handler to use, or null to build the one the configuration names
     * @param createTopics create missing tier, dead-letter and output topics at start
     */
    public LadderApp(LadderConfig config, EventHandler handler, boolean createTopics) {
        this.config = config;
        this.settings = config.toSettings();
        this.live = new LiveSettings(settings);
        // topics.envelope-serde: the topology writes and reads its tier and DLT topics with it, the
        // console reads the DLT with it
        this.envelopeSerde = config.envelopeSerde();
        SwappableHandler swappable = handler == null ? new SwappableHandler(createHandler(config)) : null;
        this.handler = handler != null ? handler : swappable;
        this.reloader = new ConfigReloader(config, live, swappable);
        this.gate = DownstreamGate.of(settings.breaker(), settings.rateLimit(), metrics);
        live.onChange(s -> gate.update(s.breaker(), s.rateLimit()));
        this.createTopics = createTopics;
        Gauge.builder(
                        RESTART_REQUIRED_METRIC,
                        this,
                        app -> app.restartRequired().isPresent() ? 1 : 0)
                .description("1 while a changed configuration file waits for a restart to apply, else 0")
                .register(opsMetrics.registry());
    }

    /** The handler the configuration names: the built-in HTTP handler or a class by name. */
    public static EventHandler createHandler(LadderConfig config) {
        HandlerConfig h = config.handler();
        if (h.type() == HandlerConfig.Type.CLASS) {
            return HandlerLoader.load(h.className(), h.settings());
        }
        HttpConfig http = h.http();
        return new HttpEventHandler(
                new HttpHandlerSettings(
                        URI.create(http.url()),
                        http.method(),
                        http.headers(),
                        h.timeout(),
                        http.connectTimeout(),
                        http.bodySnippetBytes()),
                Clock.systemUTC(),
                config.secrets().values());
    }

    /** Starts the health server, then (in the background) waits for the broker and starts Streams. */
    public synchronized LadderApp start() {
        // one line per key: the log layout escapes line breaks inside a message
        log.info(
                "starting Ladder on {} with this configuration:",
                config.redact(settings.topics().toString()));
        config.describe().lines().forEach(line -> log.info("  {}", line));
        OpsAuth auth = OpsAuth.of(config.server().auth());
        if (!auth.configured()) {
            log.warn("no ops token is configured, so the console and the operator endpoints (/events, /keys, replay)"
                    + " answer 401 to everyone; health and metrics stay open. Add one under server.auth.tokens,"
                    + " e.g. {name: oncall, role: operator, token: ${file:/var/run/secrets/ladder-ops/operator-token}}"
                    + " (see docs/operations.md, \"Who may call the ops port\")");
        }
        try {
            ops = new OpsServer(
                    "0.0.0.0",
                    config.server().port(),
                    opsMetrics.registry(),
                    this::state,
                    Map.of(
                            "breaker",
                            () -> gate.state(System.currentTimeMillis()).name(),
                            "config",
                            () -> restartRequired()
                                    .map(reason -> "restart required: " + reason)
                                    .orElse("current")),
                    auth);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot bind the health and metrics port " + config.server().port(), e);
        }
        operators = OperatorEndpoints.install(ops, this::streams, settings);
        console = Console.install(
                ops,
                new ConsoleContext(
                        this::streams,
                        live::get,
                        () -> Optional.ofNullable(streamsProps),
                        opsMetrics.registry(),
                        () -> gate.state(System.currentTimeMillis()).name(),
                        envelopeSerde));
        startup = new Thread(this::startStreams, "ladder-startup");
        startup.setDaemon(true);
        startup.start();
        return this;
    }

    private void startStreams() {
        Properties props = LadderTopology.streamsDefaults(settings);
        props.putAll(config.streamsProperties());
        // a production exception handler under kafka: becomes the delegate of Ladder's own
        LadderProductionExceptionHandler.install(props, settings);
        operators.configure(props, ops.port()); // application.server, unless set: interactive queries forward there
        streamsProps = props; // the console reads the DLT and replays with the same client settings
        try {
            waitForTopics(props);
            if (closing) {
                return;
            }
            // one clock for every task and for Kafka Streams: wall-clock steps neither fire retries
            // early nor stall punctuations (see LadderClock)
            LadderClock clock = LadderClock.system();
            KafkaStreams kafkaStreams = new KafkaStreams(
                    LadderTopology.build(live, handler, gate, envelopeSerde, metrics, clock),
                    props,
                    clock.streamsTime());
            kafkaStreams.setUncaughtExceptionHandler(e -> {
                fail(config.redact("stream thread died: " + e));
                log.error("stream thread died; shutting Ladder down so it can be restarted", e);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            kafkaStreams.setStateListener((now, before) -> {
                log.info("Kafka Streams {} -> {}", before, now);
                if (now == KafkaStreams.State.ERROR) {
                    fail("Kafka Streams entered ERROR");
                }
            });
            opsMetrics.bindStreams(kafkaStreams);
            streams = kafkaStreams;
            kafkaStreams.start();
        } catch (RuntimeException e) {
            // a client's error may quote a property's value: never a secret one
            String reason = config.redact(String.valueOf(e.getMessage()));
            if (reason.equals(e.getMessage())) {
                log.error("Ladder cannot start: {}", reason, e);
            } else {
                log.error("Ladder cannot start: {} (stack trace at DEBUG: it quotes a secret)", reason);
                log.debug("Ladder cannot start", e);
            }
            fail(reason);
        }
    }

    private void waitForTopics(Properties props) {
        Properties adminProps = new Properties();
        adminProps.putAll(props);
        adminProps.put(
                AdminClientConfig.CLIENT_ID_CONFIG, props.getProperty(StreamsConfig.APPLICATION_ID_CONFIG) + "-setup");
        Optional<Short> replication = Optional.ofNullable(props.getProperty(StreamsConfig.REPLICATION_FACTOR_CONFIG))
                .map(Short::parseShort)
                .filter(r -> r > 0);
        Duration pause = Duration.ofSeconds(1);
        try (Admin admin = Admin.create(onlyAdminConfigs(adminProps))) {
            TopicSetup setup = new TopicSetup(admin, Duration.ofSeconds(10));
            while (!closing) {
                try {
                    TopicSetup.Report report = setup.ensure(settings, createTopics, replication);
                    log.info("topics ok: {} partitions; created {}", report.partitions(), report.created());
                    report.findings().forEach(f -> log.warn("topic config: {}", f));
                    return;
                } catch (TopicSetup.TopicSetupException e) {
                    if (!e.isTimeout()) {
                        throw e;
                    }
                    log.warn(
                            "waiting for Kafka at {}: {}",
                            config.redact(props.getProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)),
                            config.redact(e.getMessage()));
                    sleep(pause);
                    pause = pause.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0
                            ? Duration.ofSeconds(30)
                            : pause.multipliedBy(2);
                }
            }
        }
    }

    private static Properties onlyAdminConfigs(Properties props) {
        Properties admin = new Properties();
        for (String name : AdminClientConfig.configNames()) {
            if (props.containsKey(name)) {
                admin.put(name, props.get(name));
            }
        }
        return admin;
    }

    private void fail(String reason) {
        failure = reason;
        OpsServer server = ops;
        if (server != null) {
            server.markFailed(reason);
        }
        stopped.countDown();
    }

    /**
     * Watches the configuration file and applies changes that need no restart; a change that needs
     * one stops the app or is reported, by {@code reload-restart-required} (see {@link #reload});
     * an invalid new version is logged and the running settings stay.
     */
    public synchronized void watchConfig(Path file, Map<String, String> env) {
        Duration interval = config.reloadInterval();
        if (interval.isZero() || watcher != null) {
            return;
        }
        watcher = new ConfigWatcher(file, env, interval, this::reload);
    }

    /**
     * Applies a changed configuration now, all or nothing; see {@link ConfigReloader}. When the
     * change needs a restart and {@code reload-restart-required} is {@code exit}, the app stops
     * waiting: {@link #awaitTermination()} returns and {@link #restartRequested()} says why; the
     * caller closes it (which closes Streams cleanly) and exits with {@code ladder}'s exit code 3.
     */
    public ConfigReloader.Result reload(LadderConfig next) {
        ConfigReloader.Result result = reloader.apply(next);
        if (result.status() == ConfigReloader.Status.RESTART_NOW) {
            restartRequested = result.reason();
            stopped.countDown();
        }
        return result;
    }

    /** Why the app stopped to be restarted on a changed configuration file, if it did. */
    public Optional<String> restartRequested() {
        return Optional.ofNullable(restartRequested);
    }

    /** A configuration change that waits for a restart, whether or not the app stopped for it. */
    public Optional<String> restartRequired() {
        return restartRequested().or(reloader::pendingRestart);
    }

    /** The settings in force (they change with live reloads). */
    public LadderSettings settings() {
        return live.get();
    }

    /** The Streams state, or null before Streams exists. */
    public KafkaStreams.State state() {
        KafkaStreams s = streams;
        return s == null ? null : s.state();
    }

    /** The Streams instance, once started (for interactive queries). */
    public Optional<KafkaStreams> streams() {
        return Optional.ofNullable(streams);
    }

    /** The bound health and metrics port. */
    public int port() {
        return ops.port();
    }

    /** Ladder's meters. */
    public LadderMetrics metrics() {
        return metrics;
    }

    /** Why the app failed, if it did. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * Blocks until the app is closed, fails, or stops for a restart (see {@link #reload}).
     *
     * @return true when it was closed or stopped normally, false when it failed
     */
    public boolean awaitTermination() throws InterruptedException {
        stopped.await();
        return failure == null;
    }

    /** Stops Streams (committing and flushing), the health server and the handler. */
    @Override
    public synchronized void close() {
        if (closed) {
            return; // the shutdown hook closes again after the main thread did
        }
        closing = true;
        if (watcher != null) {
            watcher.close();
        }
        KafkaStreams s = streams;
        if (s != null) {
            s.close(Duration.ofSeconds(60));
        }
        if (startup != null) {
            try {
                startup.join(TimeUnit.SECONDS.toMillis(15));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        opsMetrics.close();
        if (console != null) {
            console.close();
        }
        if (operators != null) {
            operators.close();
        }
        if (ops != null) {
            ops.close();
        }
        handler.close();
        envelopeSerde.close();
        closed = true;
        stopped.countDown();
        log.info("Ladder stopped");
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
