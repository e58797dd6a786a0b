package dev.ladder.config;

import static dev.ladder.config.EnvOverridesTest.serviceLinks;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Service-link variables are recognised by their exact shape: name suffix, value, and a service host. */
class ServiceLinksTest {

    @Test
    void shouldRecogniseEveryVariableKubernetesInjectsForAService() {
        Map<String, String> env = serviceLinks("ladder-metrics", "10.96.0.15", 8080, "metrics");

        assertThat(env).hasSize(8);
        assertThat(env.keySet())
                .allSatisfy(name ->
                        assertThat(ServiceLinks.serviceOf(name, env)).as(name).contains("ladder-metrics"));
    }

    @Test
    void shouldRecogniseTheLinksOfAnIpv6Service() {
        Map<String, String> env = serviceLinks("ladder", "fd00:10:96::a", 9092, null);

        assertThat(env.keySet())
                .allSatisfy(name ->
                        assertThat(ServiceLinks.serviceOf(name, env)).as(name).contains("ladder"));
    }

    @Test
    void shouldFindTheServiceWhenItsNameContainsPortOrService() {
        Map<String, String> env = new TreeMap<>(serviceLinks("ladder-port-service", "10.96.0.16", 80, "http"));

        assertThat(ServiceLinks.serviceOf("LADDER_PORT_SERVICE_PORT_80_TCP_ADDR", env))
                .contains("ladder-port-service");
        assertThat(ServiceLinks.serviceOf("LADDER_PORT_SERVICE_SERVICE_PORT_HTTP", env))
                .contains("ladder-port-service");
    }

    @Test
    void shouldNotTakeAVariableWhoseValueHasTheWrongShape() {
        Map<String, String> env = new TreeMap<>(serviceLinks("ladder-metrics", "10.96.0.15", 8080, "metrics"));
        env.put("LADDER_METRICS_PORT", "8080"); // tcp://ip:port, not a number
        env.put("LADDER_METRICS_SERVICE_PORT_ADMIN", "admin"); // a port number
        env.put("LADDER_METRICS_PORT_8080_TCP_PROTO", "udp"); // the name says tcp
        env.put("LADDER_METRICS_PORT_8080_TCP_PORT", "9090"); // the name says 8080
        env.put("LADDER_METRICS_PORT_8080_TCP_ADDR", "10.96.0.99"); // not the service host
        env.put("LADDER_METRICS_PORT_8080_UDP", "tcp://10.96.0.15:8080"); // the name says udp

        assertThat(env.keySet())
                .filteredOn(name -> !name.equals("LADDER_METRICS_SERVICE_HOST")
                        && !name.equals("LADDER_METRICS_SERVICE_PORT")
                        && !name.equals("LADDER_METRICS_SERVICE_PORT_METRICS")
                        && !name.equals("LADDER_METRICS_PORT_8080_TCP"))
                .allSatisfy(name ->
                        assertThat(ServiceLinks.serviceOf(name, env)).as(name).isEmpty());
    }

    @Test
    void shouldNotTakeALinkShapedVariableWithoutAServiceHost() {
        assertThat(ServiceLinks.serviceOf("LADDER_SERVICE_PORT", Map.of("LADDER_SERVICE_PORT", "9090")))
                .isEmpty();
        assertThat(ServiceLinks.serviceOf(
                        "LADDER_METRICS_PORT",
                        Map.of("LADDER_METRICS_PORT", "tcp://10.0.0.1:80", "LADDER_METRICS_SERVICE_HOST", "metrics")))
                .isEmpty();
    }
}
