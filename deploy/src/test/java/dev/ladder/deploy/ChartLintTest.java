package dev.ladder.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.marcnuri.helm.LintResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Real `helm lint --strict` on the chart, and the chart's version against the Maven project's. */
class ChartLintTest {

    @TempDir
    Path temp;

    static Stream<Path> ciValuesFiles() {
        return HelmChart.ciValuesFiles().stream();
    }

    @Test
    void shouldLintCleanWithOnlyTheRequiredValues() throws IOException {
        Path required = temp.resolve("required.yaml");
        Files.writeString(required, "kafka: {bootstrapServers: 'kafka:9092'}\ntopics: {main: orders}\n");

        LintResult result = HelmChart.lint(temp, List.of(required));

        assertThat(result.isFailed())
                .as("lint messages: %s", result.getMessages())
                .isFalse();
    }

    @ParameterizedTest
    @MethodSource("ciValuesFiles")
    void shouldLintCleanForEveryCiScenario(Path valuesFile) {
        LintResult result = HelmChart.lint(temp, List.of(valuesFile));

        assertThat(result.isFailed())
                .as("lint messages: %s", result.getMessages())
                .isFalse();
    }

    @Test
    void shouldLintCleanWithTheChartsOwnValues() {
        // Helm's lint mode turns `required` into a log line (the render tests check the message),
        // so the bare chart lints clean: values.yaml, schema, Chart.yaml and templates are valid.
        LintResult result = HelmChart.lint(temp, List.of());

        assertThat(result.isFailed())
                .as("lint messages: %s", result.getMessages())
                .isFalse();
    }

    @Test
    void shouldFollowTheProjectVersion() {
        var chart = Yaml.read(Project.CHART.resolve("Chart.yaml"));

        assertThat(Project.VERSION).as("project version from surefire").isNotEqualTo("unknown");
        assertThat(chart.path("version").asText()).isEqualTo(Project.chartVersion());
        assertThat(chart.path("appVersion").asText()).isEqualTo(Project.chartVersion());
    }

    @Test
    void shouldHaveAtLeastTheThreeCiScenarios() {
        assertThat(HelmChart.ciValuesFiles())
                .extracting(p -> p.getFileName().toString())
                .contains("external-secret-values.yaml", "no-persistence-values.yaml", "monitoring-values.yaml");
    }
}
