package dev.ladder.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigCommandTest {

    @TempDir
    Path dir;

    @Test
    void shouldReportEveryErrorOfAFileWithSevenMistakesInOneRun() throws Exception {
        // given seven mistakes: binding errors (unknown key, bad value, bad choice) and checks of
        // the settings (a range, a tier shorter than the punctuation, a method, a port)
        Path config = Files.writeString(dir.resolve("ladder.yaml"), """
                topics: {main: orders}
                punctuation-intervall: 1s
                idempotency:
                  retention: soon
                ordering:
                  mode: per_key
                retry:
                  tiers:
                    - delay: 500ms
                breaker:
                  failure-rate: 1.5
                handler:
                  http:
                    url: http://127.0.0.1:1/hook
                    method: GET
                server: {port: 99999}
                """);

        // when
        CliRun run = CliRun.of("config", "check", "--config", config.toString());

        // then
        assertThat(run.exitCode()).isEqualTo(LadderCli.USAGE);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines().findFirst()).hasValue(config + ": 7 errors");
        assertThat(run.err().lines().skip(1).map(l -> l.replaceFirst(".*ladder\\.yaml:(\\d+):.*", "$1")))
                .as("in file order")
                .containsExactly("2", "4", "6", "9", "11", "15", "16");
        assertThat(run.err().lines().skip(1))
                .hasSize(7)
                .anySatisfy(l -> assertThat(l).contains("ladder.yaml:2: punctuation-intervall is not a known key"))
                .anySatisfy(l -> assertThat(l).contains("ladder.yaml:4: idempotency.retention is 'soon'"))
                .anySatisfy(l -> assertThat(l).contains("ladder.yaml:6: ordering.mode is 'per_key'", "per-key"))
                .anySatisfy(l -> assertThat(l).contains("ladder.yaml:9: retry.tiers[0].delay is '500ms'"))
                .anySatisfy(l -> assertThat(l).contains("ladder.yaml:11: breaker.failure-rate is '1.5'"))
                .anySatisfy(l -> assertThat(l).contains("ladder.yaml:15: handler.http.method is 'GET'", "POST"))
                .anySatisfy(l -> assertThat(l).contains("ladder.yaml:16: server.port is '99999'"));
    }

    @Test
    void shouldCheckTheEnvelopeSerdeOfflineAndQuoteItsNameAsWritten() throws Exception {
        // given a file whose envelope serde is not on the class path, and one whose serde is
        Path missing = Files.writeString(dir.resolve("ladder.yaml"), """
                topics:
                  main: orders
                  envelope-serde: com.example.kafka.NoSuchSerde
                handler: {http: {url: http://127.0.0.1:1/hook}}
                """);
        Path present = Files.writeString(dir.resolve("present.yaml"), """
                topics:
                  main: orders
                  envelope-serde: dev.ladder.testing.FramedEnvelopeSerde
                handler: {http: {url: http://127.0.0.1:1/hook}}
                kafka: {framed.envelope.prefix: "X:"}
                """);

        // when both are checked without a broker
        CliRun bad = CliRun.of("config", "check", "--config", missing.toString());
        CliRun good = CliRun.of("config", "check", "--config", present.toString());

        // then
        assertThat(bad.exitCode()).isEqualTo(LadderCli.USAGE);
        assertThat(bad.err())
                .contains("ladder.yaml:3: topics.envelope-serde is 'com.example.kafka.NoSuchSerde', a class not"
                        + " found on the class path");
        assertThat(good.exitCode()).as(good.err()).isZero();
        assertThat(good.out()).contains("present.yaml: valid");
    }

    @Test
    void shouldQuoteValuesAsTheUserWroteThem() throws Exception {
        // given a tier shorter than the punctuation interval, both written in short form
        Path config = Files.writeString(dir.resolve("ladder.yaml"), """
                topics: {main: orders}
                punctuation-interval: 1s
                retry: {tiers: [{delay: 500ms}, {delay: 60s}], max-retry-after: 8d}
                handler: {http: {url: "http://127.0.0.1:1/hook"}}
                """);

        // when
        CliRun run = CliRun.of("config", "check", "--config", config.toString());

        // then
        assertThat(run.exitCode()).isEqualTo(LadderCli.USAGE);
        assertThat(run.err())
                .contains("retry.tiers[0].delay is '500ms', shorter than punctuation-interval 1s")
                .contains("retry.max-retry-after is '8d'")
                .doesNotContain("PT0.5S", "PT1S", "PT192H");
    }

    @Test
    void shouldPassAValidFileWithoutABroker() throws Exception {
        // given a valid file whose broker cannot be reached
        Path config = Files.writeString(dir.resolve("ladder.yaml"), """
                bootstrap-servers: 127.0.0.1:1
                topics: {main: orders}
                handler: {http: {url: "http://127.0.0.1:1/hook"}}
                """);

        // when
        CliRun run = CliRun.of("config", "check", "--config", config.toString());

        // then
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEqualTo(config + ": valid" + System.lineSeparator());
        assertThat(run.err()).isEmpty();
    }
}
