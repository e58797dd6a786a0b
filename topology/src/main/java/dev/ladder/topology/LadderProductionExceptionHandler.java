package dev.ladder.topology;

import dev.ladder.kernel.LogSafe;
import dev.ladder.policy.LadderSettings;
import dev.ladder.policy.TopicNames;
import dev.ladder.serde.RetryStores;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DefaultProductionExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production exception handler Ladder runs with. A record Ladder writes to its own topics (a
 * tier, the dead-letter topic, a store's changelog) carries an event: an answer of
 * {@code RESUME} to a failed send would drop that event silently, and under exactly-once commit the
 * input offset that produced it. So for those topics a user-configured handler is still asked
 * (for its logging or alerting), but its {@code RESUME} becomes {@code FAIL}; {@code RETRY} stays.
 * Records to any other topic (the output topic) get the user's handler's answer unchanged.
 *
 * <p>Size errors are not expected here: the processor keeps every record within
 * {@code topics.max-message-bytes} and the producer and topics are configured for it. A size error
 * on Ladder's topics means a topic was created with a smaller {@code max.message.bytes}; {@code
 * ladder topics verify} names it.
 *
 * <p>Library users install it with {@link #install} after putting their own properties.
 */
public final class LadderProductionExceptionHandler implements ProductionExceptionHandler {

    /** Where {@link #install} moves a user's own production exception handler class. */
    public static final String DELEGATE_CONFIG = "ladder.production.exception.handler.delegate";

    /** Comma-separated tier and dead-letter topics whose records must never be dropped. */
    public static final String OWN_TOPICS_CONFIG = "ladder.production.exception.handler.own.topics";

    private static final Logger log = LoggerFactory.getLogger(LadderProductionExceptionHandler.class);

    private ProductionExceptionHandler delegate = new DefaultProductionExceptionHandler();
    private Set<String> ownTopics = Set.of();

    /**
     * Makes this the production exception handler of {@code props}: a handler the properties
     * already name (under either Streams key) becomes the delegate. Safe to call more than once.
     */
    @SuppressWarnings("deprecation")
    public static void install(Properties props, LadderSettings settings) {
        for (String key : new String[] {
            StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
            StreamsConfig.DEFAULT_PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG
        }) {
            Object configured = props.remove(key);
            if (configured != null && !isThis(configured)) {
                props.put(DELEGATE_CONFIG, configured instanceof Class<?> c ? c.getName() : configured.toString());
            }
        }
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, LadderProductionExceptionHandler.class);
        TopicNames topics = settings.topics();
        props.put(
                OWN_TOPICS_CONFIG,
                String.join(",", topics.tiers()) + (topics.tiers().isEmpty() ? "" : ",") + topics.deadLetter());
    }

    @Override
    public void configure(Map<String, ?> configs) {
        Object own = configs.get(OWN_TOPICS_CONFIG);
        ownTopics = own == null
                ? Set.of()
                : Set.copyOf(java.util.List.of(own.toString().split(",")));
        Object name = configs.get(DELEGATE_CONFIG);
        if (name != null && !name.toString().isBlank()) {
            try {
                delegate = Utils.newInstance(name.toString().trim(), ProductionExceptionHandler.class);
            } catch (ClassNotFoundException e) {
                throw new ConfigException(
                        StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, name, "class not found");
            }
        }
        delegate.configure(configs);
    }

    @Override
    public Response handleError(
            ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        return guard(record, delegate.handleError(context, record, exception), exception);
    }

    @SuppressWarnings("rawtypes")
    @Override
    public Response handleSerializationError(
            ErrorHandlerContext context,
            ProducerRecord record,
            Exception exception,
            SerializationExceptionOrigin origin) {
        return guard(record, delegate.handleSerializationError(context, record, exception, origin), exception);
    }

    /** True for a tier, dead-letter or store changelog topic of Ladder's. */
    boolean isOwn(String topic) {
        if (ownTopics.contains(topic)) {
            return true;
        }
        for (String store : RetryStores.NAMES) {
            if (topic.endsWith("-" + store + "-changelog")) {
                return true;
            }
        }
        return false;
    }

    private Response guard(ProducerRecord<?, ?> record, Response answer, Exception exception) {
        if (answer == null || answer.result() != Result.RESUME || !isOwn(record.topic())) {
            return answer;
        }
        log.error(
                "a record to Ladder's own topic {} could not be written ({}); the configured production "
                        + "exception handler answered RESUME, which would drop an event: failing instead. "
                        + "If it is a size error, run `ladder topics verify`",
                record.topic(),
                LogSafe.text(String.valueOf(exception)));
        return Response.fail(answer.deadLetterQueueRecords());
    }

    private static boolean isThis(Object configured) {
        String name = configured instanceof Class<?> c ? c.getName() : configured.toString();
        return LadderProductionExceptionHandler.class.getName().equals(name.trim());
    }
}
