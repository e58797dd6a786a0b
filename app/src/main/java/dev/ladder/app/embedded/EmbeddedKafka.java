package dev.ladder.app.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka cluster (KRaft, broker and controller in one node) running inside
 * this JVM, for {@code ladder demo} and the integration tests.
 *
 * <p>It is the broker of the Kafka distribution, not a fake: storage is formatted with Kafka's own
 * {@link Formatter} (what {@code kafka-storage.sh format} does) and {@link KafkaRaftServer} is what
 * {@code kafka-server-start.sh} runs. It listens on 127.0.0.1 only, on ephemeral ports, keeps its
 * data in a temporary directory removed on {@link #close()}, and supports transactions, so
 * exactly-once Streams applications run against it unchanged.
 *
 * <pre>{@code
 * try (EmbeddedKafka kafka = new EmbeddedKafka().start()) {
 *     kafka.createTopic("orders", 3);
 *     String bootstrap = kafka.bootstrapServers();
 * }
 * }</pre>
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final int START_ATTEMPTS = 3;

    private final Map<String, String> overrides;
    private final boolean keepDataDir;
    private final Duration startTimeout;

    private Path dataDir;
    private KafkaRaftServer server;
    private Admin admin;
    private String bootstrapServers;

    /** A broker with the default settings, its data deleted on close. Call {@link #start()}. */
    public EmbeddedKafka() {
        this(builder());
    }

    private EmbeddedKafka(Builder builder) {
        this.overrides = Map.copyOf(builder.overrides);
        this.keepDataDir = builder.keepDataDir;
        this.startTimeout = builder.startTimeout;
    }

    /** Returns a builder for a broker with non-default settings. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Formats storage, starts the broker and returns once it answers an Admin {@code describeCluster}.
     *
     * @return this broker, started
     * @throws IllegalStateException if it is already started or does not become ready in time
     */
    public synchronized EmbeddedKafka start() {
        if (server != null) {
            throw new IllegalStateException("The embedded Kafka broker is already started at " + bootstrapServers);
        }
        long startNanos = System.nanoTime();
        try {
            dataDir = Files.createTempDirectory("ladder-kafka-");
            startServer();
            admin = Admin.create(Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    bootstrapServers,
                    AdminClientConfig.CLIENT_ID_CONFIG,
                    "ladder-embedded-kafka-admin"));
            awaitReady();
        } catch (IOException e) {
            closeQuietly();
            throw new UncheckedIOException("Could not create the embedded Kafka broker's data directory", e);
        } catch (RuntimeException e) {
            closeQuietly();
            throw e;
        }
        log.info(
                "Embedded Kafka broker ready at {} in {} ms (data in {})",
                bootstrapServers,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos),
                dataDir);
        return this;
    }

    /** Returns {@code host:port} of the broker's client listener, for {@code bootstrap.servers}. */
    public synchronized String bootstrapServers() {
        requireStarted();
        return bootstrapServers;
    }

    /** Returns the directory that holds the broker's logs and metadata (deleted on close unless kept). */
    public synchronized Path dataDir() {
        requireStarted();
        return dataDir;
    }

    /** Creates a topic with one replica and waits until the controller has committed it. */
    public void createTopic(String name, int partitions) {
        createTopic(name, partitions, Map.of());
    }

    /** Creates a topic with one replica and the given topic configs, and waits for it. */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        NewTopic topic = new NewTopic(name, partitions, (short) 1).configs(configs);
        try {
            adminClient().createTopics(List.of(topic)).all().get(startTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + name, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Could not create topic " + name + " on " + bootstrapServers, e);
        }
    }

    /** Stops the broker and, unless asked to keep it, deletes its data directory. Safe to call twice. */
    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
        if (dataDir != null && !keepDataDir) {
            try {
                Utils.delete(dataDir.toFile());
            } catch (IOException e) {
                log.warn("Could not delete the embedded Kafka data directory {}", dataDir, e);
            }
        }
    }

    private void startServer() throws IOException {
        for (int attempt = 1; ; attempt++) {
            // The controller's address must be in its own config before it starts (it is the quorum's
            // only voter), so both ports are picked up front; another process may grab one in between.
            int[] ports = freePorts();
            Path logDir = Files.createDirectories(dataDir.resolve("attempt-" + attempt));
            KafkaConfig config =
                    KafkaConfig.fromProps(BrokerProperties.combinedNode(logDir, ports[0], ports[1], overrides), false);
            format(config, logDir);
            KafkaRaftServer candidate = new KafkaRaftServer(config, Time.SYSTEM);
            try {
                candidate.startup();
                server = candidate;
                bootstrapServers = "127.0.0.1:" + ports[0];
                return;
            } catch (RuntimeException e) {
                candidate.shutdown();
                candidate.awaitShutdown();
                if (attempt >= START_ATTEMPTS || !causedByBindFailure(e)) {
                    throw e;
                }
                log.warn("Port {} or {} was taken before the embedded broker bound it; retrying", ports[0], ports[1]);
            }
        }
    }

    private static void format(KafkaConfig config, Path logDir) {
        Formatter formatter = new Formatter()
                .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                .setNodeId(config.nodeId())
                .setClusterId(Uuid.randomUuid().toString())
                .setControllerListenerName(BrokerProperties.CONTROLLER_LISTENER)
                .setMetadataLogDirectory(config.metadataLogDir())
                .setReleaseVersion(MetadataVersion.latestProduction())
                .setHasDynamicQuorum(false)
                .addDirectory(logDir.toString());
        try {
            formatter.run();
        } catch (Exception e) {
            throw new IllegalStateException("Could not format the embedded Kafka storage in " + logDir, e);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + startTimeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (!admin.describeCluster().nodes().get(1, TimeUnit.SECONDS).isEmpty()) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while waiting for the embedded Kafka broker", e);
            } catch (ExecutionException | TimeoutException e) {
                last = e;
            }
        }
        throw new IllegalStateException(
                "The embedded Kafka broker at " + bootstrapServers + " did not answer within " + startTimeout, last);
    }

    private static int[] freePorts() throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (ServerSocket broker = new ServerSocket(0, 50, loopback);
                ServerSocket controller = new ServerSocket(0, 50, loopback)) {
            return new int[] {broker.getLocalPort(), controller.getLocalPort()};
        }
    }

    private static boolean causedByBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    private synchronized Admin adminClient() {
        requireStarted();
        return admin;
    }

    private void requireStarted() {
        if (server == null) {
            throw new IllegalStateException("The embedded Kafka broker is not started; call start() first");
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (RuntimeException e) {
            log.warn("Cleaning up after a failed start of the embedded Kafka broker failed", e);
        }
    }

    /** Settings of an {@link EmbeddedKafka}; every one has a sensible default. */
    public static final class Builder {
        private final Map<String, String> overrides = new LinkedHashMap<>();
        private boolean keepDataDir;
        private Duration startTimeout = Duration.ofSeconds(60);

        private Builder() {}

        /** Sets any broker property (server.properties key), overriding the embedded defaults. */
        public Builder brokerProperty(String key, String value) {
            overrides.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Keeps the data directory after {@link EmbeddedKafka#close()}, to look at the logs. */
        public Builder keepDataDir(boolean keep) {
            this.keepDataDir = keep;
            return this;
        }

        /** How long {@link EmbeddedKafka#start()} and topic creation may take (default 60 s). */
        public Builder startTimeout(Duration timeout) {
            this.startTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** Returns the broker, not yet started. */
        public EmbeddedKafka build() {
            return new EmbeddedKafka(this);
        }
    }
}
