package dev.ladder.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The benchmark harness as a CI smoke test: every scenario at tiny sizes, one run per side, on an
 * embedded broker. It checks that the harness works and its numbers are sane, not how fast anything is.
 * The soak (scenario 6) has its own smoke test, {@link SoakSmokeIT}.
 */
class BenchSmokeIT {

    @Test
    @Timeout(240)
    void shouldWriteAReportWithPositiveRatiosAndNoEarlyRetries() throws Exception {
        // given a report path under target/
        Path out = Path.of("target", "bench-smoke", "benchmarks.md");

        // when every scenario runs at smoke size
        Report report = BenchMain.run("--smoke", "--only", "1,2,3,4,5", "--out", out.toString());

        // then the report exists, nothing failed, every ratio is positive and no retry ran early
        assertThat(report.failures).as("failed scenarios").isEmpty();
        assertThat(Files.readString(out)).contains("# Ladder benchmarks", "## 1.", "## 2.", "## 3.", "## 4.", "## 5.");
        assertThat(report.ratios).as("ratios").isNotEmpty();
        report.ratios.forEach(
                (key, spread) -> assertThat(spread.min()).as(key).isPositive().isFinite());
        assertThat(report.numbers.get("retry.ladder.early"))
                .as("early retry firings")
                .isZero();
        assertThat(report.ratios)
                .containsKeys(
                        "happy.exactly-once-v2.ladder.throughput",
                        "retry.ladder.goodput",
                        "http.ladder-http-handler.throughput",
                        "pending.throughput",
                        "tombstones.naive-vs-bounded",
                        "recovery.resume");
    }
}
