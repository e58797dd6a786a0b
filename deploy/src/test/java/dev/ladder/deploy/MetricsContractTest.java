package dev.ladder.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every metric the dashboard and the alerts use is one the app promises in metrics-contract.txt. */
class MetricsContractTest {

    private static final Path CONTRACT = Project.DEPLOY.resolve("metrics-contract.txt");
    private static final Path DASHBOARD = Project.DEPLOY.resolve("grafana/ladder-dashboard.json");
    private static final Path ALERTS = Project.DEPLOY.resolve("prometheus/ladder-alerts.yaml");
    private static final Pattern LABEL_VALUES = Pattern.compile("label_values\\(\\s*([a-zA-Z_:][\\w:]*)");

    static Set<String> contract() throws IOException {
        return Files.readAllLines(CONTRACT).stream()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void shouldListOnlyPlainPrometheusNamesInTheContract() throws IOException {
        assertThat(contract()).isNotEmpty().allMatch(n -> n.matches("[a-z_][a-z0-9_]*"), "a Prometheus name");
    }

    @Test
    void shouldUseOnlyContractMetricsInTheDashboard() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(DASHBOARD.toFile());
        List<String> exprs = new ArrayList<>();
        dashboard
                .path("panels")
                .forEach(p ->
                        p.path("targets").forEach(t -> exprs.add(t.path("expr").asText())));
        Set<String> used = new TreeSet<>();
        exprs.forEach(e -> used.addAll(PromQl.metricNames(e)));
        dashboard.at("/templating/list").forEach(v -> {
            Matcher m = LABEL_VALUES.matcher(
                    v.at("/query/query").asText(v.path("query").asText()));
            if (m.find()) {
                used.add(m.group(1));
            }
        });

        assertThat(exprs).hasSizeGreaterThanOrEqualTo(10);
        assertThat(used).isNotEmpty().isSubsetOf(contract());
    }

    @Test
    void shouldUseOnlyContractMetricsInTheAlerts() throws IOException {
        Set<String> used = new TreeSet<>();
        Yaml.read(ALERTS)
                .path("groups")
                .forEach(g -> g.path("rules")
                        .forEach(r ->
                                used.addAll(PromQl.metricNames(r.path("expr").asText()))));

        assertThat(used).isNotEmpty().isSubsetOf(contract());
    }

    @Test
    void shouldCoverTheOperationalSignalsInTheDashboard() throws IOException {
        String dashboard = Files.readString(DASHBOARD);

        assertThat(dashboard)
                .contains(
                        "ladder_dead_letters_total",
                        "ladder_retry_lateness_seconds_bucket",
                        "ladder_blocked_keys",
                        "kafka_consumer_fetch_manager_records_lag",
                        "ladder_timers_pending",
                        "outcome=~\\\"retried|dead_lettered\\\"");
    }

    @Test
    void shouldShipTheChartAnExactCopyOfTheAlertRules() throws IOException {
        assertThat(Files.readString(Project.CHART.resolve("files/ladder-alerts.yaml")))
                .as("deploy/helm/ladder/files/ladder-alerts.yaml must equal deploy/prometheus/ladder-alerts.yaml:"
                        + " cp deploy/prometheus/ladder-alerts.yaml deploy/helm/ladder/files/")
                .isEqualTo(Files.readString(ALERTS));
    }

    @Test
    void shouldGiveEveryAlertASeverityAndASummary() {
        Yaml.read(ALERTS)
                .path("groups")
                .forEach(g -> g.path("rules").forEach(r -> {
                    assertThat(r.at("/labels/severity").asText())
                            .as(r.path("alert").asText())
                            .isNotEmpty();
                    assertThat(r.at("/annotations/summary").asText())
                            .as(r.path("alert").asText())
                            .isNotEmpty();
                }));
    }
}
