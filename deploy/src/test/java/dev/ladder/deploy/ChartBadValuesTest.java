package dev.ladder.deploy;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Values that must not render: each failure names the key and the fix. */
class ChartBadValuesTest {

    @Test
    void shouldRefuseToRenderWithoutBootstrapServers() {
        assertThatThrownBy(() -> HelmChart.render(List.of(), Map.of("topics.main", "orders")))
                .hasMessageContaining("kafka.bootstrapServers is required")
                .hasMessageContaining("--set kafka.bootstrapServers=");
    }

    @Test
    void shouldRefuseToRenderWithoutTheMainTopic() {
        assertThatThrownBy(() -> HelmChart.render(List.of(), Map.of("kafka.bootstrapServers", "kafka:9092")))
                .hasMessageContaining("topics.main is required")
                .hasMessageContaining("--set topics.main=");
    }

    @Test
    void shouldRejectAWrongTypeThroughTheValuesSchema() {
        assertThatThrownBy(() -> HelmChart.render(List.of(), with("replicaCount", "three")))
                .hasMessageContaining("values don't meet the specifications of the schema")
                .hasMessageContaining("replicaCount");
    }

    @Test
    void shouldRejectAnUnknownTopLevelValue() {
        // a typo such as `replicas` would otherwise be ignored silently
        assertThatThrownBy(() -> HelmChart.render(List.of(), with("replicas", 5)))
                .hasMessageContaining("replicas");
    }

    @Test
    void shouldRefuseBootstrapServersInTheFreeFormConfig() {
        assertThatThrownBy(() -> HelmChart.render(List.of(), with("config.bootstrap-servers", "other:9092")))
                .hasMessageContaining("config.bootstrap-servers is set by the chart")
                .hasMessageContaining("kafka.bootstrapServers");
    }

    @Test
    void shouldRefuseSecretReferencesWithoutASecret() {
        assertThatThrownBy(() -> HelmChart.render(List.of(), with("secrets.env.KAFKA_SASL_JAAS_CONFIG", "jaas")))
                .hasMessageContaining("secrets.existingSecret is required when secrets.env is set");
    }

    private static Map<String, Object> with(String key, Object value) {
        var sets = new java.util.LinkedHashMap<String, Object>(HelmChart.REQUIRED);
        sets.put(key, value);
        return sets;
    }
}
