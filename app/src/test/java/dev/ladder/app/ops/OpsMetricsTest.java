package dev.ladder.app.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpsMetricsTest {

    @TempDir
    Path stateDir;

    @Test
    void shouldPublishKafkaStreamsClientMetricsOnceBoundAndStopWhenUnbound() throws Exception {
        // given a Streams client that is created but never started (no broker needed)
        var builder = new StreamsBuilder();
        builder.stream("in").to("out");
        var props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "ops-metrics-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        props.put(
                StreamsConfig.STATE_DIR_CONFIG,
                Files.createDirectories(stateDir).toString());
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.ByteArraySerde.class);
        try (var metrics = new OpsMetrics();
                var streams = new KafkaStreams(builder.build(), props)) {
            assertThat(metrics.registry().scrape()).doesNotContain("kafka_stream_");
            // when
            metrics.bindStreams(streams);
            // then
            assertThat(metrics.registry().scrape()).contains("kafka_stream_alive_stream_threads");
        }
    }
}
