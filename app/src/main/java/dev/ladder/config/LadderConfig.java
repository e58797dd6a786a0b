package dev.ladder.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ladder.avro.RetryEnvelope;
import dev.ladder.policy.InvalidPolicyException;
import dev.ladder.policy.LadderSettings;
import dev.ladder.text.Redaction;
import dev.ladder.text.Secrets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The whole Ladder configuration file. Load it with {@link LadderConfigLoader#load}, which applies
 * environment overrides, resolves secret references and validates; every key is documented in
 * {@code docs/configuration.md}. Secrets never appear in {@link #toString()} or {@link #describe()}.
 *
 * @param applicationId Kafka Streams {@code application.id}; default {@code ladder-<topics.main>}
 * @param bootstrapServers Kafka bootstrap servers, {@code host:port[,host:port]}; required for
 *     {@code run} (or {@code kafka: bootstrap.servers})
 * @param stateDir Kafka Streams {@code state.dir}; default {@code <java.io.tmpdir>/ladder}
 * @param processingGuarantee {@code exactly_once_v2} or {@code at_least_once}; default
 *     exactly_once_v2
 * @param topics the main topic and how the other topics are named
 * @param retry tiers, backoff, immediate retries and exception classification
 * @param ordering per-key ordering and what a dead-lettered head does to its key
 * @param idempotency event id header and how long ids are remembered
 * @param punctuationInterval how often due retries are looked for; no tier delay may be shorter;
 *     default {@link LadderSettings#DEFAULT_PUNCTUATION_INTERVAL} (1s)
 * @param errorHistory bounds on the error history a record carries
 * @param handler the processing step Ladder retries
 * @param breaker the circuit breaker that stops calls while the downstream is down
 * @param rateLimit the cap on handler calls per second and the reaction to 429 answers
 * @param reloadInterval how often the configuration file is checked for changes that can apply
 *     without a restart; 0s turns live reload off; default 5s
 * @param reloadRestartRequired what a valid new version of the file that needs a restart does:
 *     {@code exit} (stop cleanly with exit code 3, so that Kubernetes restarts the container with
 *     the new file) or {@code log} (keep running on the old settings and report "restart
 *     required"); default exit
 * @param server the health and metrics HTTP server
 * @param secretFileDirs the directories {@code ${file:…}} references may read from (at any depth,
 *     after following links); relative ones are taken from the configuration file's folder;
 *     default: that folder, {@code /etc/ladder} and {@code /var/run/secrets}
 * @param kafka any Kafka client or Streams property, passed through verbatim; wins over the keys
 *     above
 * @param secrets the values that came from secret references: not a key of the file, set by
 *     {@link LadderConfigLoader}; every text shown of this configuration has them redacted
 */
public record LadderConfig(
        String applicationId,
        String bootstrapServers,
        String stateDir,
        ProcessingGuarantee processingGuarantee,
        TopicsConfig topics,
        RetryConfig retry,
        OrderingConfig ordering,
        IdempotencyConfig idempotency,
        Duration punctuationInterval,
        ErrorHistoryConfig errorHistory,
        HandlerConfig handler,
        BreakerConfig breaker,
        RateLimitConfig rateLimit,
        Duration reloadInterval,
        RestartRequired reloadRestartRequired,
        ServerConfig server,
        List<String> secretFileDirs,
        Map<String, String> kafka,
        @JsonIgnore Secrets secrets) {

    /** Kafka Streams processing guarantees. */
    public enum ProcessingGuarantee {
        /** Read, write and store updates commit as one transaction. */
        @JsonProperty(StreamsConfig.EXACTLY_ONCE_V2)
        EXACTLY_ONCE_V2,
        /** Faster; an event may be written twice after a crash. */
        @JsonProperty(StreamsConfig.AT_LEAST_ONCE)
        AT_LEAST_ONCE
    }

    /** What a changed file that needs a restart does to the running process. */
    public enum RestartRequired {
        /** Stop cleanly and exit with code 3; the supervisor restarts it on the new file. */
        @JsonProperty("exit")
        EXIT,
        /** Keep the running settings, log the change and report "restart required". */
        @JsonProperty("log")
        LOG
    }

    public LadderConfig {
        topics = topics == null ? new TopicsConfig(null, null, null, null, null, null) : topics;
        if (applicationId == null && topics.main() != null) {
            applicationId = "ladder-" + topics.main();
        }
        stateDir = stateDir == null
                ? Path.of(System.getProperty("java.io.tmpdir"), "ladder").toString()
                : stateDir;
        processingGuarantee = processingGuarantee == null ? ProcessingGuarantee.EXACTLY_ONCE_V2 : processingGuarantee;
        retry = retry == null ? RetryConfig.defaults() : retry;
        ordering = ordering == null ? new OrderingConfig(null, null) : ordering;
        idempotency = idempotency == null ? new IdempotencyConfig(null, null) : idempotency;
        punctuationInterval =
                punctuationInterval == null ? LadderSettings.DEFAULT_PUNCTUATION_INTERVAL : punctuationInterval;
        errorHistory = errorHistory == null ? new ErrorHistoryConfig(null, null, null, null) : errorHistory;
        handler = handler == null ? HandlerConfig.defaults() : handler;
        breaker = breaker == null ? new BreakerConfig(null, null, null, null, null, null, null) : breaker;
        rateLimit = rateLimit == null ? new RateLimitConfig(null, null, null) : rateLimit;
        reloadInterval = reloadInterval == null ? Duration.ofSeconds(5) : reloadInterval;
        reloadRestartRequired = reloadRestartRequired == null ? RestartRequired.EXIT : reloadRestartRequired;
        server = server == null ? new ServerConfig(null, null) : server;
        kafka = kafka == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(kafka));
        secretFileDirs = secretFileDirs == null ? null : List.copyOf(secretFileDirs);
        secrets = secrets == null ? Secrets.NONE : secrets;
    }

    /**
     * The topology's settings: topic names, retry policy, ordering, idempotency and limits.
     *
     * @throws ConfigException naming every key whose setting cannot work
     */
    public LadderSettings toSettings() {
        List<InvalidPolicyException> problems = new ArrayList<>();
        LadderSettings.Builder builder = settingsBuilder(problems);
        problems.addAll(builder.problems());
        throwIfAny(problems);
        return builder.build();
    }

    /**
     * The library's settings builder with every value of this file: the YAML model only maps, the
     * settings check themselves ({@link LadderSettings.Builder#problems()}).
     *
     * @param problems where what cannot even be mapped (a tier without a delay) is added
     */
    private LadderSettings.Builder settingsBuilder(List<InvalidPolicyException> problems) {
        String main = topics.main();
        if (main == null || main.isBlank()) {
            problems.add(new ConfigException(
                    "topics.main",
                    "is missing",
                    "the name of the topic to consume, e.g. 'topics: {main: orders}' or LADDER_TOPICS_MAIN=orders"));
            main = "main"; // a stand-in, so every other setting is still checked
        }
        LadderSettings.Builder builder = LadderSettings.builder(main)
                .policy(retry.toPolicy(problems))
                .maxRetryAfter(retry.maxRetryAfter())
                .retryTopicPattern(topics.naming().retry())
                .deadLetterTopicPattern(topics.naming().deadLetter())
                .ordering(ordering.mode())
                .onDeadLetter(ordering.onDeadLetter())
                .eventIdHeader(idempotency.header())
                .idempotencyRetention(idempotency.retention())
                .punctuationInterval(punctuationInterval)
                .handlerTimeout(handler.timeout())
                .maxCheckpointBytes(handler.maxCheckpointBytes())
                .concurrency(handler.concurrency())
                .breaker(breaker.toSettings())
                .rateLimit(rateLimit.toSettings())
                .history(errorHistory.toLimits())
                .deadLetterRetention(topics.deadLetterRetentionDuration(problems))
                .maxMessageBytes(topics.maxMessageBytes());
        if (topics.output()) {
            builder.outputTopicPattern(topics.naming().output());
        }
        return builder;
    }

    /**
     * Every problem of this configuration: the topology's settings, then what only the app uses
     * (handler, server, reload). {@link LadderConfigLoader} reports them all at once.
     */
    public List<InvalidPolicyException> problems() {
        List<InvalidPolicyException> problems = new ArrayList<>();
        LadderSettings.Builder builder = settingsBuilder(problems);
        problems.addAll(builder.problems());
        problems.addAll(ConfigValidation.problems(this));
        return problems;
    }

    private static void throwIfAny(List<InvalidPolicyException> problems) {
        if (!problems.isEmpty()) {
            throw ConfigException.of(
                    problems.stream().map(e -> ConfigException.of(e, null)).toList());
        }
    }

    /**
     * Properties for {@code new KafkaStreams(topology, props)}: application.id, bootstrap.servers,
     * processing.guarantee and state.dir, then every {@code kafka:} entry (which wins). Other
     * Streams defaults are left to the topology code.
     *
     * @throws ConfigException when no bootstrap servers are configured
     */
    public Properties streamsProperties() {
        Properties props = new Properties();
        if (applicationId != null) {
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        }
        if (bootstrapServers != null) {
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        }
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, ConfigJackson.name(processingGuarantee));
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir);
        props.putAll(kafka);
        if (props.getProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "").isBlank()) {
            throw new ConfigException(
                    "bootstrap-servers",
                    "is missing",
                    "host:port[,host:port], or LADDER_BOOTSTRAP_SERVERS / KAFKA_BOOTSTRAP_SERVERS");
        }
        return props;
    }

    /**
     * The serde of tier and dead-letter record values, {@code topics.envelope-serde}: a new
     * instance, configured with the {@code kafka:} entries as a value serde. The one place it is
     * made: the processor's topology writes and reads its topics with it, and the dead-letter tools
     * and the console read them with it, so a file that switches serde can still list and replay its
     * dead letters. The caller closes it.
     *
     * @throws ConfigException naming {@code topics.envelope-serde} when it cannot be made
     */
    public Serde<RetryEnvelope> envelopeSerde() {
        return topics.envelopeSerde(kafka);
    }

    /** The same configuration with other bootstrap servers, e.g. an embedded demo broker's. */
    public LadderConfig withBootstrapServers(String servers) {
        Map<String, String> props = new LinkedHashMap<>(kafka);
        props.remove(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG);
        return copy(servers, props, secrets);
    }

    /** The same configuration, knowing which of its values came from secret references. */
    LadderConfig withSecrets(Secrets values) {
        return copy(bootstrapServers, kafka, values);
    }

    private LadderConfig copy(String servers, Map<String, String> props, Secrets values) {
        return new LadderConfig(
                applicationId,
                servers,
                stateDir,
                processingGuarantee,
                topics,
                retry,
                ordering,
                idempotency,
                punctuationInterval,
                errorHistory,
                handler,
                breaker,
                rateLimit,
                reloadInterval,
                reloadRestartRequired,
                server,
                secretFileDirs,
                props,
                values);
    }

    /**
     * Checks everything the app needs.
     *
     * @throws ConfigException naming every key at fault, its bad value and what is allowed
     */
    public void validate() {
        throwIfAny(problems());
    }

    /** The effective configuration, one {@code key = value} per line, with secrets redacted. */
    public String describe() {
        return String.join(System.lineSeparator(), ConfigJackson.describe(this));
    }

    /**
     * The text with every value that came from a secret reference (or a recognisable part of one)
     * and every URL's user info and query values redacted: for anything shown that may quote this
     * configuration, such as an error message or a part's {@code toString()}.
     */
    public String redact(String text) {
        return Redaction.url(secrets.scrub(text));
    }

    @Override
    public String toString() {
        return "LadderConfig{" + String.join(", ", ConfigJackson.describe(this)) + "}";
    }
}
