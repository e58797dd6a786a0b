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
    void shouldLeaveConfigChangesToTheAppByDefault() {
        // no checksum annotation: a ConfigMap change reaches the pods in place, and Ladder applies it
        // live or exits 3 to be restarted on it
        assertThat(checksum(rendered)).isEmpty();
        assertThat(rendered.one("StatefulSet").at("/spec/template/metadata").has("annotations"))
                .isFalse();
        assertThat(rendered.ladderConfig().has("reload-interval")).isFalse();
    }

    @Test
    void shouldMountTheConfigDirectorySoTheKubeletUpdatesItInPlace() {
        JsonNode mount = mount("config");

        assertThat(mount.has("subPath")).as("subPath").isFalse();
        assertThat(mount.has("subPathExpr")).as("subPathExpr").isFalse();
        assertThat(mount.path("mountPath").asText()).isEqualTo("/etc/ladder");
        assertThat(volume("config").at("/configMap/name").asText()).isEqualTo(HelmChart.RELEASE);
    }

    @Test
    void shouldRollPodsOnEveryConfigChangeWhenAskedTo() {
        Map<String, Object> roll = withSet("rollOnConfigChange", true);
        String before = checksum(HelmChart.render(List.of(), roll));
        roll.put("config.retry.immediate.attempts", 2);
        String after = checksum(HelmChart.render(List.of(), roll));

        assertThat(before).hasSize(64);
        assertThat(after).hasSize(64).isNotEqualTo(before);
    }

    @Test
    void shouldLeaveRestartsToTheRollWhenPodsRollOnConfigChanges() {
        // the roll restarts each pod, one at a time: the app only reports what waits for it
        JsonNode rolled =
                HelmChart.render(List.of(), withSet("rollOnConfigChange", true)).ladderConfig();
        Map<String, Object> explicit = withSet("rollOnConfigChange", true);
        explicit.put("config.reload-restart-required", "exit");

        assertThat(rolled.path("reload-restart-required").asText()).isEqualTo("log");
        assertThat(HelmChart.render(List.of(), explicit)
                        .ladderConfig()
                        .path("reload-restart-required")
                        .asText())
                .isEqualTo("exit");
        assertThat(rendered.ladderConfig().has("reload-restart-required")).isFalse();
    }

    @Test
    void shouldRollPodsOnAConfigChangeWhenLiveReloadIsOff() {
        // the app would never look at the changed file
        Map<String, Object> inEnv = withSet("extraEnv[0].name", "LADDER_RELOAD_INTERVAL");
        inEnv.put("extraEnv[0].value", "0s");

        assertThat(checksum(HelmChart.render(List.of(), withSet("config.reload-interval", "0s"))))
                .hasSize(64);
        assertThat(checksum(HelmChart.render(List.of(), withSet("config.reload-interval", "PT0S"))))
                .hasSize(64);
        assertThat(checksum(HelmChart.render(List.of(), inEnv))).hasSize(64);
        assertThat(checksum(HelmChart.render(List.of(), withSet("config.reload-interval", "10s"))))
                .isEmpty();
    }

    @Test
    void shouldKeepExtraPodAnnotationsWithoutTheChecksum() {
        JsonNode annotations = HelmChart.render(List.of(), withSet("podAnnotations.team", "shop"))
                .one("StatefulSet")
                .at("/spec/template/metadata/annotations");

        assertThat(annotations.path("team").asText()).isEqualTo("shop");
        assertThat(annotations.has("checksum/config")).isFalse();
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

    private static JsonNode mount(String name) {
        for (JsonNode m : rendered.container().path("volumeMounts")) {
            if (name.equals(m.path("name").asText())) {
                return m;
            }
        }
        throw new AssertionError("no volume mount " + name);
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
