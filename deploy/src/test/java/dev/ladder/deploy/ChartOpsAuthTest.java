package dev.ladder.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ops port's tokens from an existing Secret, and the optional NetworkPolicy in front of it. */
class ChartOpsAuthTest {

    private static HelmChart.Rendered opsAuth() {
        return HelmChart.render(List.of(Project.CHART.resolve("ci").resolve("ops-auth-values.yaml")), Map.of());
    }

    private static HelmChart.Rendered with(Map<String, Object> sets) {
        Map<String, Object> all = new HashMap<>(HelmChart.REQUIRED);
        all.putAll(sets);
        return HelmChart.render(List.of(), all);
    }

    @Test
    void shouldReferenceTheMountedTokenFilesFromTheConfig() {
        HelmChart.Rendered rendered = opsAuth();

        JsonNode tokens = rendered.ladderConfig().at("/server/auth/tokens");
        assertThat(tokens).hasSize(2);
        assertThat(tokens.get(0).path("name").asText()).isEqualTo("read");
        assertThat(tokens.get(0).path("role").asText()).isEqualTo("read");
        assertThat(tokens.get(0).path("token").asText()).isEqualTo("${file:/var/run/secrets/ladder-ops/read-token}");
        assertThat(tokens.get(1).path("role").asText()).isEqualTo("operator");
        assertThat(tokens.get(1).path("token").asText())
                .isEqualTo("${file:/var/run/secrets/ladder-ops/operator-token}");
        assertThat(rendered.ladderConfig().at("/server/port").asInt()).isEqualTo(8080);
        JsonNode volume = volume(rendered, "ops-tokens");
        assertThat(volume.at("/secret/secretName").asText()).isEqualTo("ladder-ops");
        assertThat(volume.at("/secret/items").findValuesAsText("key")).containsExactly("read-token", "operator-token");
        assertThat(mountPath(rendered, "ops-tokens")).isEqualTo("/var/run/secrets/ladder-ops");
        // the chart never holds a token itself
        assertThat(rendered.all("Secret")).isEmpty();
    }

    @Test
    void shouldLeaveOutATokenWhoseKeyIsEmpty() {
        HelmChart.Rendered rendered =
                with(Map.of("ops.auth.existingSecret", "ladder-ops", "ops.auth.readTokenKey", ""));

        JsonNode tokens = rendered.ladderConfig().at("/server/auth/tokens");
        assertThat(tokens).hasSize(1);
        assertThat(tokens.get(0).path("role").asText()).isEqualTo("operator");
        assertThat(volume(rendered, "ops-tokens").at("/secret/items").findValuesAsText("key"))
                .containsExactly("operator-token");
    }

    @Test
    void shouldConfigureNoTokenAndMountNothingByDefault() {
        HelmChart.Rendered rendered = HelmChart.renderDefaults();

        assertThat(rendered.ladderConfig().path("server").has("auth")).isFalse();
        assertThat(rendered.one("StatefulSet").toString()).doesNotContain("ops-tokens");
        assertThat(rendered.all("NetworkPolicy")).isEmpty();
    }

    @Test
    void shouldRefuseASecretWithoutAnyTokenKey() {
        assertThatThrownBy(() -> with(Map.of(
                        "ops.auth.existingSecret", "ladder-ops",
                        "ops.auth.readTokenKey", "",
                        "ops.auth.operatorTokenKey", "")))
                .hasMessageContaining("name at least one key");
    }

    @Test
    void shouldLetOnlyTheListedPeersAndTheOtherPodsReachTheOpsPort() {
        JsonNode policy = opsAuth().one("NetworkPolicy");

        assertThat(policy.at("/spec/policyTypes").toString()).isEqualTo("[\"Ingress\"]");
        assertThat(policy.at("/spec/podSelector/matchLabels/app.kubernetes.io~1name")
                        .asText())
                .isEqualTo("ladder");
        JsonNode rules = policy.at("/spec/ingress");
        assertThat(rules).hasSize(1);
        assertThat(rules.get(0).at("/ports/0/port").asText()).isEqualTo("http");
        List<String> from = new ArrayList<>();
        rules.get(0).path("from").forEach(peer -> from.add(peer.toString()));
        assertThat(from).hasSize(3);
        assertThat(from.get(0)).contains("\"podSelector\"", "app.kubernetes.io/instance");
        assertThat(from.get(1)).contains("\"kubernetes.io/metadata.name\":\"ops\"");
        assertThat(from.get(2)).contains("\"kubernetes.io/metadata.name\":\"monitoring\"", "prometheus");
    }

    private static JsonNode volume(HelmChart.Rendered rendered, String name) {
        for (JsonNode v : rendered.one("StatefulSet").at("/spec/template/spec/volumes")) {
            if (name.equals(v.path("name").asText())) {
                return v;
            }
        }
        throw new AssertionError("no volume " + name);
    }

    private static String mountPath(HelmChart.Rendered rendered, String name) {
        for (JsonNode m : rendered.container().path("volumeMounts")) {
            if (name.equals(m.path("name").asText())) {
                return m.path("mountPath").asText();
            }
        }
        throw new AssertionError("no volume mount " + name);
    }
}
