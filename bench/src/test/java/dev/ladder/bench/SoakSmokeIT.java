package dev.ladder.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The soak (scenario 6) at CI size, 600 events over 120 keys on the default configuration: an
 * ordinary day with the breaker on and off, and a 30 s outage. The scenario checks every event
 * itself (exactly once, per-key order, attempts as planned, the breaker never opening without the
 * outage, delivery back within a probe interval after it); a failed check fails the scenario.
 */
class SoakSmokeIT {

    @Test
    @Timeout(600)
    void shouldDeliverAnOrdinaryDayAndRideOutAnOutageOnTheDefaults() throws Exception {
        // given a report path under target/
        Path out = Path.of("target", "soak-smoke", "benchmarks.md");

        // when the soak runs at CI size
        Report report = BenchMain.run("--smoke", "--only", "6", "--out", out.toString());

        // then every check held, and the breaker cost nothing on an ordinary day
        assertThat(report.failures).as("failed scenarios").isEmpty();
        assertThat(Files.readString(out)).contains("## 6. Soak");
        assertThat(report.ratios.get("soak.breaker-on-vs-off.time").median())
                .as("run time with the breaker / without")
                .isBetween(0.2, 2.0);
        assertThat(report.numbers.get("soak.outage.resumed-ms"))
                .as("delivery back after the outage")
                .isBetween(0.0, (double) SoakBench.RESUME_BOUND.toMillis());
    }
}
