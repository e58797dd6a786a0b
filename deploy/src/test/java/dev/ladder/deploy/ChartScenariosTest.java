package dev.ladder.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** `helm template` for each values file under ci/. */
class ChartScenariosTest {

    private static HelmChart.Rendered render(String ciFile) {
        return HelmChart.render(List.of(Project.CHART.resolve("ci").resolve(ciFile)), Map.of());
    }

    @Test
    void shouldTakeSecretsByReferenceFromAnExistingSecret() {
        HelmChart.Rendered rendered = render("external-secret-values.yaml");
        Map<String, JsonNode> env = rendered.env();

        assertThat(env.get("KAFKA_SASL_JAAS_CONFIG")
                        .at("/valueFrom/secretKeyRef/name")
                        .asText())
                .isEqualTo("ladder-kafka");
        assertThat(env.get("KAFKA_SASL_JAAS_CONFIG")
                        .at("/valueFrom/secretKeyRef/key")
                        .asText())
                .isEqualTo("sasl.jaas.config");
        JsonNode secretVolume = volume(rendered, "secret-files");
        assertThat(secretVolume.at("/secret/secretName").asText()).isEqualTo("ladder-kafka");
        assertThat(secretVolume.at("/secret/items/0/key").asText()).isEqualTo("truststore.p12");
        assertThat(rendered.container().path("volumeMounts").toString()).contains("/var/run/secrets/ladder");
        // the config carries references only, never a secret value
        JsonNode kafka = rendered.ladderConfig().path("kafka");
        assertThat(kafka.path("ssl.truststore.password").asText()).isEqualTo("${env:TRUSTSTORE_PASSWORD}");
        assertThat(kafka.path("security.protocol").asText()).isEqualTo("SASL_SSL");
        assertThat(kafka.path("num.standby.replicas").asInt()).isEqualTo(1);
        assertThat(rendered.all("Secret")).isEmpty();
    }

    @Test
    void shouldKeepStateOnAnEmptyDirWithoutPersistence() {
        HelmChart.Rendered rendered = render("no-persistence-values.yaml");
        JsonNode spec = rendered.one("StatefulSet").path("spec");

        assertThat(spec.has("volumeClaimTemplates")).isFalse();
        assertThat(spec.has("persistentVolumeClaimRetentionPolicy")).isFalse();
        assertThat(volume(rendered, "state").has("emptyDir")).isTrue();
        assertThat(rendered.ladderConfig()
                        .path("kafka")
                        .path("num.standby.replicas")
                        .asInt())
                .isZero();
        assertThat(rendered.all("PodDisruptionBudget")).isEmpty();
    }

    @Test
    void shouldRenderServiceMonitorAndTheAlertRulesWhenMonitoringIsOn() {
        HelmChart.Rendered rendered = render("monitoring-values.yaml");
        JsonNode monitor = rendered.one("ServiceMonitor");
        JsonNode rule = rendered.one("PrometheusRule");

        assertThat(monitor.at("/metadata/labels/release").asText()).isEqualTo("kube-prometheus-stack");
        assertThat(monitor.at("/spec/endpoints/0/port").asText()).isEqualTo("metrics");
        assertThat(monitor.at("/spec/endpoints/0/path").asText()).isEqualTo("/metrics");
        JsonNode serviceLabels =
                rendered.named("Service", HelmChart.RELEASE + "-metrics").at("/metadata/labels");
        monitor.at("/spec/selector/matchLabels")
                .fields()
                .forEachRemaining(
                        label -> assertThat(serviceLabels.path(label.getKey())).isEqualTo(label.getValue()));
        // only the metrics Service matches: the headless one would scrape every pod twice
        assertThat(rendered.named("Service", HelmChart.RELEASE + "-headless")
                        .at("/metadata/labels/app.kubernetes.io~1part-of")
                        .isMissingNode())
                .isTrue();
        assertThat(rule.at("/metadata/labels/release").asText()).isEqualTo("kube-prometheus-stack");

        JsonNode standalone = Yaml.read(Project.DEPLOY.resolve("prometheus/ladder-alerts.yaml"));
        JsonNode groups = rule.at("/spec/groups");
        assertThat(groups.get(0)).isEqualTo(standalone.at("/groups/0"));
        assertThat(groups.get(groups.size() - 1).path("name").asText()).isEqualTo("ladder-custom");
        // Prometheus template expressions reach the rule untouched by Helm
        assertThat(groups.toString()).contains("{{ $labels.exception }}");
    }

    private static JsonNode volume(HelmChart.Rendered rendered, String name) {
        for (JsonNode v : rendered.one("StatefulSet").at("/spec/template/spec/volumes")) {
            if (name.equals(v.path("name").asText())) {
                return v;
            }
        }
        throw new AssertionError("no volume " + name);
    }
}
