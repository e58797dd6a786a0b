package dev.ladder.app.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LadderViewTest {

    @Test
    void shouldReadLatenessQuantilesFromTheHistogramBuckets() {
        // given the lateness timer as Ladder registers it: 98 retries 20 ms late, 2 retries 3 s late
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Timer timer = Timer.builder("ladder.retry.lateness")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
        for (int i = 0; i < 98; i++) {
            timer.record(Duration.ofMillis(20));
        }
        timer.record(Duration.ofSeconds(3));
        timer.record(Duration.ofSeconds(3));
        // when
        Double p50 = LadderView.quantileMillis(timer, 0.5);
        Double p99 = LadderView.quantileMillis(timer, 0.99);
        // then each is the upper bound of the bucket that holds it
        assertThat(p50).isBetween(20.0, 30.0);
        assertThat(p99).isBetween(3000.0, 4000.0);
    }

    @Test
    void shouldHaveNoQuantileBeforeTheFirstRetry() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Timer timer = Timer.builder("ladder.retry.lateness")
                .publishPercentileHistogram()
                .register(registry);
        assertThat(LadderView.quantileMillis(timer, 0.5)).isNull();
    }
}
