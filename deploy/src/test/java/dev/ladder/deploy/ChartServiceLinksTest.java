package dev.ladder.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ladder.config.LadderConfig;
import dev.ladder.config.LadderConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Ladder pod starts whatever Services the chart puts next to it: the rendered config.yaml loads
 * with the pod's own environment plus every service-link variable Kubernetes would inject for the
 * rendered Services. The chart turns links off ({@code enableServiceLinks: false}); this checks the
 * app does not depend on that (another chart's or an older release's pods have them on).
 */
class ChartServiceLinksTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "release {0}")
    @ValueSource(strings = {"ladder", "ladder-prod", "orders"})
    void shouldLoadTheRenderedConfigWithTheServiceLinksOfTheRenderedServices(String release) throws IOException {
        // given the chart rendered under this release name, and a pod of it
        Map<String, Object> sets = new LinkedHashMap<>(HelmChart.REQUIRED);
        sets.put("config.handler.http.url", "http://receiver.shop.svc:8080/events");
        HelmChart.Rendered rendered = HelmChart.render(release, List.of(), sets);
        Map<String, String> links = ServiceLinkEnv.of(rendered.all("Service"));
        Map<String, String> env = new LinkedHashMap<>(podEnv(rendered));
        env.putAll(links);
        Path file = Files.writeString(
                dir.resolve("config.yaml"),
                rendered.one("ConfigMap").path("data").path("config.yaml").asText());

        // when
        LadderConfig config = LadderConfigLoader.load(file, env);

        // then it loads, and the links it had to live with were real ones
        assertThat(config.topics().main()).isEqualTo("orders");
        assertThat(config.server().port()).isEqualTo(8080);
        assertThat(ServiceLinkEnv.withClusterIp(rendered.all("Service"))).isNotEmpty();
        assertThat(links).hasSizeGreaterThanOrEqualTo(8);
        String metrics = release.startsWith("ladder") ? release : release + "-ladder";
        assertThat(links)
                .containsKey(metrics.toUpperCase().replace('-', '_') + "_METRICS_PORT")
                .containsKey(metrics.toUpperCase().replace('-', '_') + "_METRICS_SERVICE_PORT_METRICS");
    }

    @Test
    void shouldGiveTheHeadlessServiceNoLinks() {
        HelmChart.Rendered rendered = HelmChart.renderDefaults();

        assertThat(ServiceLinkEnv.withClusterIp(rendered.all("Service")))
                .extracting(s -> s.at("/metadata/name").asText())
                .containsExactly(HelmChart.RELEASE + "-metrics");
    }

    /** The container's literal variables; a pod-name field reference as the first pod's name. */
    private static Map<String, String> podEnv(HelmChart.Rendered rendered) {
        String pod = rendered.one("StatefulSet").at("/metadata/name").asText() + "-0";
        Map<String, String> env = new LinkedHashMap<>();
        rendered.env().forEach((name, var) -> {
            JsonNode field = var.at("/valueFrom/fieldRef/fieldPath");
            if (var.has("value")) {
                env.put(name, var.path("value").asText());
            } else if ("metadata.name".equals(field.asText())) {
                env.put(name, pod);
            }
        });
        return env;
    }
}
