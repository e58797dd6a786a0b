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
    void shouldPutAnOnCallStatusRowAboveEveryOtherPanel() throws IOException {
        JsonNode panels = new ObjectMapper().readTree(DASHBOARD.toFile()).path("panels");
        JsonNode first = panels.get(0);
        List<JsonNode> stats = new ArrayList<>();
        int lowestOther = Integer.MAX_VALUE;
        for (JsonNode p : panels) {
            if (p.path("type").asText().equals("stat")) {
                stats.add(p);
            } else if (!p.path("type").asText().equals("row")) {
                lowestOther = Math.min(lowestOther, p.at("/gridPos/y").asInt());
            }
        }

        assertThat(first.path("type").asText()).isEqualTo("row");
        assertThat(first.path("title").asText()).isEqualTo("Status");
        assertThat(stats)
                .extracting(p -> p.at("/targets/0/expr").asText())
                .anyMatch(e -> e.contains("kafka_stream_client_state") && e.contains("== 2"))
                .anyMatch(e -> e.contains("ladder_breaker_state"))
                .anyMatch(e -> e.contains("ladder_dead_letters_total"))
                .anyMatch(e -> e.contains("ladder_timers_pending"))
                .anyMatch(e -> e.contains("ladder_retry_oldest_pending_seconds"));
        int below = lowestOther;
        assertThat(stats).allSatisfy(p -> assertThat(p.at("/gridPos/y").asInt()).isLessThan(below));
    }

    @Test
    void shouldNameBreakerStatesInsteadOfNumbers() throws IOException {
        List<JsonNode> breakerPanels = new ArrayList<>();
        new ObjectMapper().readTree(DASHBOARD.toFile()).path("panels").forEach(p -> {
            if (p.at("/targets/0/expr").asText().contains("ladder_breaker_state")) {
                breakerPanels.add(p);
            }
        });

        assertThat(breakerPanels).hasSizeGreaterThanOrEqualTo(2).allSatisfy(p -> {
            JsonNode options = p.at("/fieldConfig/defaults/mappings/0/options");
            assertThat(options.at("/0/text").asText()).isEqualTo("Closed");
            assertThat(options.at("/1/text").asText()).isEqualTo("Half-open");
            assertThat(options.at("/2/text").asText()).isEqualTo("Open");
            assertThat(p.path("description").asText()).containsIgnoringCase("breaker");
        });
    }

    @Test
    void shouldKeepTheDetailPanelsAndGiveEachItsOwnDescription() throws IOException {
        JsonNode panels = new ObjectMapper().readTree(DASHBOARD.toFile()).path("panels");
        List<String> titles = new ArrayList<>();
        List<String> descriptions = new ArrayList<>();
        panels.forEach(p -> {
            titles.add(p.path("title").asText());
            if (!p.path("type").asText().equals("row")) {
                descriptions.add(p.path("description").asText());
            }
        });

        assertThat(titles)
                .contains(
                        "Events by outcome",
                        "Dead letters by exception",
                        "Handler error ratio",
                        "Handler duration",
                        "Retry lateness p99 by tier topic",
                        "Consumer lag per topic",
                        "Pending timers",
                        "Parked events and blocked keys",
                        "Stream thread process rate",
                        "Timer punctuation duration",
                        "JVM heap",
                        "Circuit breaker state",
                        "Backlog per tier");
        // the backlog per tier is the retries waiting in the stores, not only the unread records
        panels.forEach(p -> {
            if (p.path("title").asText().equals("Backlog per tier")) {
                assertThat(p.at("/targets/0/expr").asText()).contains("ladder_tier_pending");
            }
        });
        // a description copied from another panel is how the breaker panel came to describe parked events
        assertThat(descriptions).doesNotContain("").doesNotHaveDuplicates();
    }

    @Test
    void shouldLayOutPanelsWithoutOverlap() throws IOException {
        List<int[]> boxes = new ArrayList<>();
        new ObjectMapper().readTree(DASHBOARD.toFile()).path("panels").forEach(p -> {
            JsonNode g = p.path("gridPos");
            boxes.add(new int[] {
                g.path("x").asInt(),
                g.path("y").asInt(),
                g.path("w").asInt(),
                g.path("h").asInt(),
                p.path("id").asInt()
            });
        });

        for (int i = 0; i < boxes.size(); i++) {
            int[] a = boxes.get(i);
            assertThat(a[0] + a[2]).as("panel %d fits the 24 columns", a[4]).isLessThanOrEqualTo(24);
            for (int j = i + 1; j < boxes.size(); j++) {
                int[] b = boxes.get(j);
                boolean overlap = a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3];
                assertThat(overlap).as("panels %d and %d overlap", a[4], b[4]).isFalse();
            }
        }
    }

    @Test
    void shouldLinkEveryAlertToARunbookSectionThatExists() throws IOException {
        Set<String> anchors = Files.readAllLines(Project.ROOT.resolve("docs/operations.md")).stream()
                .filter(l -> l.matches("#{1,6} .*"))
                .map(MetricsContractTest::anchor)
                .collect(Collectors.toSet());
        List<String> alerts = new ArrayList<>();
        Yaml.read(ALERTS)
                .path("groups")
                .forEach(g -> g.path("rules").forEach(r -> {
                    String name = r.path("alert").asText();
                    alerts.add(name);
                    String url = r.at("/annotations/runbook_url").asText();
                    assertThat(url).as(name).startsWith("docs/operations.md#");
                    assertThat(anchors).as(name + ": " + url).contains(url.substring(url.indexOf('#') + 1));
                }));

        assertThat(alerts).hasSizeGreaterThanOrEqualTo(10);
        assertThat(anchor("## The downstream is busy (429)")).isEqualTo("the-downstream-is-busy-429");
    }

    @Test
    void shouldAlertWhenNoInstanceIsRunning() {
        List<JsonNode> rules = new ArrayList<>();
        Yaml.read(ALERTS)
                .path("groups")
                .forEach(g -> g.path("rules").forEach(r -> {
                    if (r.path("alert").asText().equals("LadderNoInstanceRunning")) {
                        rules.add(r);
                    }
                }));

        assertThat(rules).singleElement().satisfies(r -> {
            assertThat(r.at("/labels/severity").asText()).isEqualTo("critical");
            assertThat(PromQl.metricNames(r.path("expr").asText())).containsExactly("kafka_stream_client_state");
            // RUNNING is ordinal 2 of KafkaStreams.State, which is what client-state reports
            assertThat(r.path("expr").asText()).contains("== bool 2").contains("unless");
        });
    }

    /** GitHub's anchor of a Markdown heading: lower case, punctuation dropped, spaces to hyphens. */
    static String anchor(String heading) {
        return heading.replaceFirst("^#+ ", "")
                .strip()
                .toLowerCase(java.util.Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N} _-]", "")
                .replace(' ', '-');
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
