package dev.ladder.app.dlt;

import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Consumer and producer settings for the operator tools, from the same configuration the processor
 * runs with: bootstrap servers, security and any client property under {@code kafka:} (including
 * Streams' {@code consumer.} / {@code producer.} prefixed ones), so the tools reach the cluster
 * exactly as the app does.
 */
public final class ClientProperties {

    private ClientProperties() {}

    /** A read_committed consumer without a group: it assigns partitions and seeks, never commits. */
    public static Properties consumer(Properties streamsProps, String clientId) {
        Properties props = only(streamsProps, ConsumerConfig.configNames(), StreamsConfig.CONSUMER_PREFIX);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }

    /** A transactional producer with this transactional id. */
    public static Properties producer(Properties streamsProps, String transactionalId) {
        Properties props = only(streamsProps, ProducerConfig.configNames(), StreamsConfig.PRODUCER_PREFIX);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    private static Properties only(Properties source, java.util.Set<String> names, String prefix) {
        Properties props = new Properties();
        for (String name : source.stringPropertyNames()) {
            if (names.contains(name)) {
                props.put(name, source.getProperty(name));
            }
        }
        for (String name : source.stringPropertyNames()) {
            if (name.startsWith(prefix) && names.contains(name.substring(prefix.length()))) {
                props.put(name.substring(prefix.length()), source.getProperty(name));
            }
        }
        return props;
    }
}
