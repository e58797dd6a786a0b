package dev.ladder.config;

import static dev.ladder.config.ConfigFixture.MINIMAL;
import static dev.ladder.config.ConfigFixture.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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

    /** What the kubelet injects for a Service with one TCP port, as kubelet's envvars.FromServices builds it. */
    static Map<String, String> serviceLinks(String service, String ip, int port, String portName) {
        String p = service.toUpperCase(Locale.ROOT).replace('-', '_');
        String url = "tcp://" + (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port;
        Map<String, String> env = new TreeMap<>();
        env.put(p + "_SERVICE_HOST", ip);
        env.put(p + "_SERVICE_PORT", String.valueOf(port));
        if (portName != null) {
            env.put(p + "_SERVICE_PORT_" + portName.toUpperCase(Locale.ROOT).replace('-', '_'), "" + port);
        }
        env.put(p + "_PORT", url);
        env.put(p + "_PORT_" + port + "_TCP", url);
        env.put(p + "_PORT_" + port + "_TCP_PROTO", "tcp");
        env.put(p + "_PORT_" + port + "_TCP_PORT", String.valueOf(port));
        env.put(p + "_PORT_" + port + "_TCP_ADDR", ip);
        return env;
    }

    @Test
    void shouldIgnoreTheServiceLinksOfServicesNamedLadderSomething() {
        // given what Kubernetes injects for the chart's own metrics Service and other ladder-* Services,
        // including ones whose names start like a config section (kafka, retry-tiers, server)
        Map<String, String> env = new TreeMap<>();
        env.putAll(serviceLinks("ladder-metrics", "10.96.12.7", 8080, "metrics"));
        env.putAll(serviceLinks("ladder", "10.96.12.8", 80, null));
        env.putAll(serviceLinks("ladder-kafka", "10.96.12.9", 9092, "tcp-client"));
        env.putAll(serviceLinks("ladder-retry-tiers", "10.96.12.10", 443, "https"));
        env.putAll(serviceLinks("ladder-server-port-forward", "fd00:10:96::4a", 8443, "web"));
        env.put("LADDER_TOPICS_MAIN", "payments");

        // when
        LadderConfig config = load(dir, MINIMAL, env);

        // then the file and the real override hold, and nothing of the links leaked in
        assertThat(config.topics().main()).isEqualTo("payments");
        assertThat(config.server().port()).isEqualTo(8080);
        assertThat(config.kafka()).isEmpty();
    }

    @Test
    void shouldStillRejectAMisspeltKeyNextToServiceLinks() {
        Map<String, String> env = new TreeMap<>(serviceLinks("ladder-metrics", "10.96.12.7", 8080, "metrics"));
        env.put("LADDER_RETRY_BACKOF_TYPE", "exponential");

        assertThatThrownBy(() -> load(dir, MINIMAL, env))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("LADDER_RETRY_BACKOF_TYPE matches no configuration key")
                .hasMessageContaining("did you mean LADDER_RETRY_BACKOFF_TYPE?");
    }

    @Test
    void shouldRejectALinkShapedNameThatNoServiceHostBacks() {
        // a Service named ladder would inject LADDER_SERVICE_HOST too; alone, this is a typo of LADDER_SERVER_PORT
        assertThatThrownBy(() -> load(dir, MINIMAL, Map.of("LADDER_SERVICE_PORT", "9090")))
                .hasMessageContaining("LADDER_SERVICE_PORT matches no configuration key")
                .hasMessageContaining("did you mean LADDER_SERVER_PORT?");
    }

    @Test
    void shouldRejectALinkNameWhoseValueHasTheWrongShape() {
        // LADDER_METRICS_PORT of a Service is tcp://ip:port, never a bare number
        Map<String, String> env = Map.of("LADDER_METRICS_SERVICE_HOST", "10.96.12.7", "LADDER_METRICS_PORT", "8080");

        assertThatThrownBy(() -> load(dir, MINIMAL, env))
                .hasMessageContaining("LADDER_METRICS_PORT matches no configuration key");
    }

    @Test
    void shouldTreatARealKeyAsAKeyEvenWhenAServiceLinkSetIt() {
        // given a Service named ladder-server: its LADDER_SERVER_PORT is also the variable of server.port
        Map<String, String> env = serviceLinks("ladder-server", "10.96.12.11", 8080, null);

        assertThatThrownBy(() -> load(dir, MINIMAL, env))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("environment variable LADDER_SERVER_PORT")
                .hasMessageContaining("Service ladder-server")
                .hasMessageContaining("enableServiceLinks: false")
                .hasMessageContaining("server.port is 'tcp://10.96.12.11:8080'");
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
