package dev.ladder.config;

import static dev.ladder.config.ConfigFixture.MINIMAL;
import static dev.ladder.config.ConfigFixture.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvOverridesTest {

    @TempDir
    Path dir;

    @Test
    void shouldOverrideScalarsFromLadderVariables() {
        // given
        Map<String, String> env = Map.of(
                "LADDER_TOPICS_MAIN", "payments",
                "LADDER_BOOTSTRAP_SERVERS", "b1:9092",
                "LADDER_RETRY_IMMEDIATE_ATTEMPTS", "2",
                "LADDER_SERVER_PORT", "9090",
                "LADDER_TOPICS_OUTPUT", "true",
                "LADDER_RETRY_MAX_AGE", "1h",
                "LADDER_CONFIG", "/etc/ladder/ladder.yaml");
        // when
        LadderConfig config = load(dir, MINIMAL, env);
        // then
        assertThat(config.topics().main()).isEqualTo("payments");
        assertThat(config.applicationId()).isEqualTo("ladder-payments");
        assertThat(config.bootstrapServers()).isEqualTo("b1:9092");
        assertThat(config.retry().immediate().attempts()).isEqualTo(2);
        assertThat(config.server().port()).isEqualTo(9090);
        assertThat(config.toSettings().topics().output()).contains("payments-out");
    }

    @Test
    void shouldSupplyAMissingMainTopicFromTheEnvironment() {
        assertThat(load(dir, "handler: {http: {url: 'http://h/x'}}\n", Map.of("LADDER_TOPICS_MAIN", "orders"))
                        .topics()
                        .main())
                .isEqualTo("orders");
    }

    @Test
    void shouldRejectAnUnknownLadderVariable() {
        assertThatThrownBy(() -> load(dir, MINIMAL, Map.of("LADDER_TOPIC_MAIN", "x")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("LADDER_TOPIC_MAIN matches no configuration key")
                .hasMessageContaining("did you mean LADDER_TOPICS_MAIN?");
    }

    @Test
    void shouldRefuseToOverrideListsFromTheEnvironment() {
        assertThatThrownBy(() -> load(dir, MINIMAL, Map.of("LADDER_RETRY_TIERS_0_DELAY", "1m")))
                .hasMessageContaining("retry.tiers cannot be set from the environment");
    }

    @Test
    void shouldValidateAnOverrideLikeTheFileAndNameTheVariable() {
        assertThatThrownBy(() -> load(dir, MINIMAL, Map.of("LADDER_SERVER_PORT", "http")))
                .hasMessage("environment variable LADDER_SERVER_PORT: server.port is 'http'; allowed: a whole number");
    }

    @Test
    void shouldPassKnownKafkaVariablesThroughAndIgnoreOthers() {
        // given: KAFKA_PORT and KAFKA_SERVICE_HOST are what Kubernetes injects for a Service named kafka
        Map<String, String> env = Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "k:9092",
                "KAFKA_SASL_JAAS_CONFIG", "secret-jaas",
                "KAFKA_NUM_STREAM_THREADS", "4",
                "KAFKA_PORT", "tcp://10.0.0.1:9092",
                "KAFKA_SERVICE_HOST", "10.0.0.1");
        // when
        LadderConfig config = load(dir, MINIMAL + "kafka:\n  num.stream.threads: 2\n", env);
        // then
        assertThat(config.kafka())
                .containsEntry("bootstrap.servers", "k:9092")
                .containsEntry("sasl.jaas.config", "secret-jaas")
                .containsEntry("num.stream.threads", "4")
                .doesNotContainKeys("port", "service.host");
        assertThat(config.streamsProperties()).containsEntry("bootstrap.servers", "k:9092");
    }

    @Test
    void shouldGiveEveryOverridableKeyItsOwnVariable() {
        // the '_' of an env name stands for both '.' and '-', so two keys could collide
        Set<String> names = new HashSet<>();
        for (ConfigSchema.Key key : ConfigSchema.keys()) {
            assertThat(names.add(EnvOverrides.envName(key.path())))
                    .as(key.path())
                    .isTrue();
        }
    }
}
