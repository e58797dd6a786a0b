package dev.ladder.kernel;

/**
 * Every header name Ladder reads or writes, spelled once.
 *
 * <p>Ladder's own headers share the prefix {@value #PREFIX}. Dead letters also carry Spring
 * Kafka's {@code kafka_dlt-*} headers and retries its {@code retry_topic-attempts}, so tools built
 * for those work unchanged. Kafka Connect's and Kafka Streams' error headers are listed for reading
 * foreign dead letters.
 */
public final class LadderHeaders {

    /** Prefix of Ladder's own headers. */
    public static final String PREFIX = "ladder-";

    /** Default header carrying an event's id (configurable). */
    public static final String DEFAULT_EVENT_ID = "event-id";

    /** Event id, on every record Ladder writes. */
    public static final String EVENT_ID = PREFIX + "event-id";
    /** Attempts made so far (4-byte big-endian int). */
    public static final String ATTEMPTS = PREFIX + "attempts";
    /** Tier of the record (4-byte big-endian int). */
    public static final String TIER = PREFIX + "tier";
    /** Due time of a retry, epoch milliseconds (8-byte big-endian long). */
    public static final String DUE_TIME = PREFIX + "due-time";
    /** Why a record was dead-lettered (UTF-8). */
    public static final String REASON = PREFIX + "reason";
    /**
     * An operator command for the processor, on a record of the first tier topic written to the
     * partition that owns its key (UTF-8). The only command is {@value #CONTROL_RELEASE_KEY}.
     */
    public static final String CONTROL = PREFIX + "control";
    /** Control command: release the held key that is the record's key, letting its followers run. */
    public static final String CONTROL_RELEASE_KEY = "release-key";

    /** Marks a replayed dead letter: where it came from, {@code <dlt topic>-<partition>@<offset>} (UTF-8). */
    public static final String REPLAY = PREFIX + "replay";

    /** Spring Kafka: attempts header on retry records (4-byte int). */
    public static final String SPRING_RETRY_ATTEMPTS = "retry_topic-attempts";

    /** Spring Kafka dead-letter header prefix. */
    public static final String SPRING_DLT_PREFIX = "kafka_dlt-";
    /** Spring Kafka: original topic (UTF-8). */
    public static final String DLT_ORIGINAL_TOPIC = SPRING_DLT_PREFIX + "original-topic";
    /** Spring Kafka: original partition (4-byte int). */
    public static final String DLT_ORIGINAL_PARTITION = SPRING_DLT_PREFIX + "original-partition";
    /** Spring Kafka: original offset (8-byte long). */
    public static final String DLT_ORIGINAL_OFFSET = SPRING_DLT_PREFIX + "original-offset";
    /** Spring Kafka: original timestamp (8-byte long). */
    public static final String DLT_ORIGINAL_TIMESTAMP = SPRING_DLT_PREFIX + "original-timestamp";
    /** Spring Kafka: original timestamp type (UTF-8). */
    public static final String DLT_ORIGINAL_TIMESTAMP_TYPE = SPRING_DLT_PREFIX + "original-timestamp-type";
    /** Spring Kafka: exception class name (UTF-8). */
    public static final String DLT_EXCEPTION_FQCN = SPRING_DLT_PREFIX + "exception-fqcn";
    /** Spring Kafka: exception message (UTF-8). */
    public static final String DLT_EXCEPTION_MESSAGE = SPRING_DLT_PREFIX + "exception-message";
    /** Spring Kafka: exception stack trace (UTF-8). */
    public static final String DLT_EXCEPTION_STACKTRACE = SPRING_DLT_PREFIX + "exception-stacktrace";

    /** Kafka Connect error header prefix (read only). */
    public static final String CONNECT_ERRORS_PREFIX = "__connect.errors.";
    /** Kafka Streams error header prefix (read only). */
    public static final String STREAMS_ERRORS_PREFIX = "__streams.errors.";

    private LadderHeaders() {}
}
