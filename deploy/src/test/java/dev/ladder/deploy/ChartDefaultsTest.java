package dev.ladder.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `helm template` with the chart's defaults and only the required values. */
class ChartDefaultsTest {

    private static HelmChart.Rendered rendered;

    @BeforeAll
    static void render() {
        rendered = HelmChart.renderDefaults();
    }

    @Test
    void shouldRenderTheExpectedObjects() {
        assertThat(rendered.kinds())
                .containsExactlyInAnyOrder(
                        "ServiceAccount", "ConfigMap", "Service", "Service", "StatefulSet", "PodDisruptionBudget");
    }

    @Test
    void shouldRenderTheConfigFileFromValues() {
        JsonNode config = rendered.ladderConfig();

        assertThat(config.path("bootstrap-servers").asText()).isEqualTo("kafka:9092");
        assertThat(config.at("/topics/main").asText()).isEqualTo("orders");
        assertThat(config.path("application-id").asText()).isEqualTo(HelmChart.RELEASE);
        assertThat(config.path("state-dir").asText()).isEqualTo("/var/lib/ladder");
        assertThat(config.at("/server/port").asInt()).isEqualTo(8080);
        assertThat(config.path("processing-guarantee").asText()).isEqualTo("exactly_once_v2");
        assertThat(config.path("kafka").path("num.standby.replicas").asInt()).isEqualTo(1);
    }

    @Test
    void shouldRunAParallelStatefulSetWithAStateVolumePerPod() {
        JsonNode spec = rendered.one("StatefulSet").path("spec");

        assertThat(spec.path("podManagementPolicy").asText()).isEqualTo("Parallel");
        assertThat(spec.path("replicas").asInt()).isEqualTo(3);
        assertThat(spec.path("serviceName").asText()).isEqualTo(HelmChart.RELEASE + "-headless");
        assertThat(spec.at("/volumeClaimTemplates/0/metadata/name").asText()).isEqualTo("state");
        assertThat(spec.at("/volumeClaimTemplates/0/spec/resources/requests/storage")
                        .asText())
                .isEqualTo("10Gi");
        assertThat(spec.at("/template/spec/terminationGracePeriodSeconds").asInt())
                .isGreaterThanOrEqualTo(60);
        assertThat(mounts()).containsEntry("state", "/var/lib/ladder");
    }

    @Test
    void shouldTakeTheStaticMemberIdFromThePodName() {
        assertThat(rendered.env()
                        .get("KAFKA_GROUP_INSTANCE_ID")
                        .at("/valueFrom/fieldRef/fieldPath")
                        .asText())
                .isEqualTo("metadata.name");
    }

    @Test
    void shouldSizeTheHeapFromTheContainerLimit() {
        assertThat(rendered.env().get("JAVA_OPTS").path("value").asText())
                .contains("-XX:MaxRAMPercentage=50")
                .doesNotContain("-Xmx");
        assertThat(rendered.container().at("/resources/limits/memory").asText()).isEqualTo("1Gi");
    }

    @Test
    void shouldStartTheAppWithTheMountedConfig() {
        assertThat(rendered.container().path("args"))
                .extracting(JsonNode::asText)
                .containsExactly("run", "--config", "/etc/ladder/config.yaml");
        assertThat(mounts()).containsEntry("config", "/etc/ladder");
    }

    @Test
    void shouldRollPodsWhenTheConfigChanges() {
        String before = checksum(rendered);
        String after = checksum(HelmChart.render(List.of(), withSet("config.retry.immediate", 2)));

        assertThat(before).hasSize(64);
        assertThat(after).isNotEqualTo(before);
    }

    @Test
    void shouldTurnServiceLinksOff() {
        // a Service named ladder-... would otherwise inject LADDER_... variables into every pod
        assertThat(rendered.one("StatefulSet")
                        .at("/spec/template/spec/enableServiceLinks")
                        .isBoolean())
                .isTrue();
        assertThat(rendered.one("StatefulSet")
                        .at("/spec/template/spec/enableServiceLinks")
                        .asBoolean())
                .isFalse();
    }

    @Test
    void shouldProbeTheHealthEndpoints() {
        JsonNode container = rendered.container();

        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/health/live");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/health/ready");
        assertThat(container.at("/startupProbe/httpGet/path").asText()).isEqualTo("/health/live");
        assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(8080);
    }

    @Test
    void shouldRunRestricted() {
        JsonNode pod = rendered.one("StatefulSet").at("/spec/template/spec");
        JsonNode container = rendered.container();

        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.at("/securityContext/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
        assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).isFalse();
        assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean())
                .isTrue();
        assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean(true))
                .isFalse();
        assertThat(container.at("/securityContext/capabilities/drop/0").asText())
                .isEqualTo("ALL");
        assertThat(mounts()).containsEntry("tmp", "/tmp");
        assertThat(volume("tmp").has("emptyDir")).isTrue();
    }

    @Test
    void shouldExposeHeadlessAndMetricsServicesIncludingNotReadyPods() {
        JsonNode headless = rendered.named("Service", HelmChart.RELEASE + "-headless");
        JsonNode metrics = rendered.named("Service", HelmChart.RELEASE + "-metrics");

        assertThat(headless.at("/spec/clusterIP").asText()).isEqualTo("None");
        assertThat(headless.at("/spec/publishNotReadyAddresses").asBoolean()).isTrue();
        assertThat(metrics.at("/spec/ports/0/name").asText()).isEqualTo("metrics");
        assertThat(metrics.at("/spec/publishNotReadyAddresses").asBoolean()).isTrue();
    }

    @Test
    void shouldLimitVoluntaryDisruptionToOnePod() {
        JsonNode pdb = rendered.one("PodDisruptionBudget");

        assertThat(pdb.path("apiVersion").asText()).isEqualTo("policy/v1");
        assertThat(pdb.at("/spec/maxUnavailable").asInt()).isEqualTo(1);
        assertThat(pdb.at("/spec/selector/matchLabels"))
                .isEqualTo(rendered.one("StatefulSet").at("/spec/selector/matchLabels"));
    }

    @Test
    void shouldCheckEveryInstanceForReadinessInTheHelmTest(@TempDir Path temp) throws Exception {
        JsonNode pod = HelmChart.renderWithHooks(temp, HelmChart.REQUIRED).one("Pod");
        String script = pod.at("/spec/containers/0/command/2").asText();

        assertThat(Files.readString(Project.CHART.resolve("templates/tests/test-ready.yaml")))
                .contains("helm.sh/hook: test");
        assertThat(script)
                .contains("seq 0 2")
                .contains(HelmChart.RELEASE + "-$i." + HelmChart.RELEASE + "-headless.shop.svc:8080/health/ready");
        assertThat(pod.at("/spec/containers/0/securityContext/runAsNonRoot").asBoolean())
                .isTrue();
    }

    @Test
    void shouldCreateNoMonitoringObjectsUnlessAskedTo() {
        assertThat(rendered.all("ServiceMonitor")).isEmpty();
        assertThat(rendered.all("PrometheusRule")).isEmpty();
    }

    private static String checksum(HelmChart.Rendered r) {
        return r.one("StatefulSet")
                .at("/spec/template/metadata/annotations/checksum~1config")
                .asText();
    }

    private static Map<String, String> mounts() {
        var mounts = new java.util.LinkedHashMap<String, String>();
        rendered.container()
                .path("volumeMounts")
                .forEach(m ->
                        mounts.put(m.path("name").asText(), m.path("mountPath").asText()));
        return mounts;
    }

    private static JsonNode volume(String name) {
        for (JsonNode v : rendered.one("StatefulSet").at("/spec/template/spec/volumes")) {
            if (name.equals(v.path("name").asText())) {
                return v;
            }
        }
        throw new AssertionError("no volume " + name);
    }

    static Map<String, Object> withSet(String key, Object value) {
        var sets = new java.util.LinkedHashMap<String, Object>(HelmChart.REQUIRED);
        sets.put(key, value);
        return sets;
    }
}
