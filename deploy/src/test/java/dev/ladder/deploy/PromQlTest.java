package dev.ladder.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The metric-name extraction the contract test relies on: if it misses names, that test cannot fail. */
class PromQlTest {

    @Test
    void shouldFindMetricsButNotFunctionsLabelsOrKeywords() {
        String expr = "sum by (namespace, job) (rate(ladder_events_total{outcome=~\"retried|dead_lettered\"}[5m]))"
                + " / on(job) group_left sum without (pod) (rate(kafka_stream_thread_process_rate[$__rate_interval]))"
                + " > 0.5 and bool ladder_blocked_keys offset 5m";

        assertThat(PromQl.metricNames(expr))
                .containsExactly("kafka_stream_thread_process_rate", "ladder_blocked_keys", "ladder_events_total");
    }

    @Test
    void shouldFindTheMetricInsideAHistogramQuantile() {
        assertThat(
                        PromQl.metricNames(
                                "histogram_quantile(0.99, sum by (le, topic) (rate(ladder_retry_lateness_seconds_bucket{job=~\"$job\"}[10m]))) > 60"))
                .containsExactly("ladder_retry_lateness_seconds_bucket");
    }

    @Test
    void shouldFindTheMetricOfComparisonsSetOperatorsAndFallbacks() {
        String expr = "(sum by (namespace, job) (kafka_stream_client_state == bool 2) == 0) or"
                + " (group by (namespace, job) (ladder_breaker_state offset 15m)"
                + " unless group by (namespace, job) (kafka_stream_client_state)) or vector(0)";

        assertThat(PromQl.metricNames(expr)).containsExactly("kafka_stream_client_state", "ladder_breaker_state");
    }
}
