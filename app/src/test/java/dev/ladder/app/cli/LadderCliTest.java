package dev.ladder.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.app.dlt.Replayer;
import dev.ladder.policy.RateLimitSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LadderCliTest {

    @TempDir
    Path dir;

    @Test
    void shouldListEveryCommandInHelp() {
        // when
        CliRun run = CliRun.of("--help");

        // then
        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("run ", "demo ", "topics ");
    }

    @Test
    void shouldRefuseABadConfigWithOneLineNamingTheKey() throws Exception {
        // given a file whose server.port cannot be a port
        Path config = Files.writeString(dir.resolve("ladder.yaml"), """
                bootstrap-servers: 127.0.0.1:1
                topics: {main: orders}
                handler: {http: {url: "http://127.0.0.1:1/hook"}}
                server: {port: 99999}
                """);

        // when
        CliRun run = CliRun.of("run", "--config", config.toString());

        // then
        assertThat(run.exitCode()).isEqualTo(LadderCli.USAGE);
        assertThat(run.err().strip().lines()).singleElement().satisfies(line -> {
            assertThat(line).startsWith("ladder: ").contains("server.port").contains("99999");
        });
    }

    @Test
    void shouldRefuseTopicsVerifyWithABadConfig() throws Exception {
        // given a file with a key that does not exist
        Path config = Files.writeString(dir.resolve("ladder.yaml"), """
                bootstrap-servers: 127.0.0.1:1
                topics: {main: orders}
                handler: {http: {url: "http://127.0.0.1:1/hook"}}
                punctuation-intervall: 1s
                """);

        // when
        CliRun run = CliRun.of("topics", "verify", "--config", config.toString());

        // then
        assertThat(run.exitCode()).isEqualTo(LadderCli.USAGE);
        assertThat(run.err().strip().lines())
                .singleElement()
                .satisfies(line -> assertThat(line).startsWith("ladder: ").contains("punctuation-intervall"));
    }

    @Test
    void shouldRequireConfigForRun() {
        // when
        CliRun run = CliRun.of("run");

        // then
        assertThat(run.exitCode()).isEqualTo(LadderCli.USAGE);
        assertThat(run.err()).contains("--config");
    }

    @Test
    void shouldRefuseADemoFailureRateAboveOne() {
        // when
        CliRun run = CliRun.of("demo", "--failure-rate", "1.5");

        // then
        assertThat(run.exitCode()).isEqualTo(LadderCli.USAGE);
        assertThat(run.err()).contains("--failure-rate");
    }

    @Test
    void shouldDocumentExitCodesAndExamplesInHelp() {
        // when
        CliRun run = CliRun.of("--help");

        // then
        assertThat(run.out())
                .contains("Exit codes:")
                .contains("2   usage or configuration error")
                .contains("4   topics verify|create")
                .contains("Examples:")
                .contains("ladder dlt list --config ladder.yaml --since 2h | jq");
    }

    @Test
    void shouldListTheFormatValuesInHelp() {
        // when
        CliRun run = CliRun.of("dlt", "list", "--help");

        // then
        assertThat(run.out()).contains("One of: json, table").contains("--timeout=DURATION");
    }

    @Test
    void shouldRefuseAnUnknownFormatNamingTheValues() throws Exception {
        // when
        CliRun run = CliRun.of("dlt", "list", "--config", minimalConfig().toString(), "--format", "xml");

        // then
        assertThat(run.exitCode()).isEqualTo(LadderCli.USAGE);
        assertThat(run.err()).contains("--format").contains("xml").contains("JSON, TABLE");
    }

    @Test
    void shouldPrintABashCompletionScript() {
        // when
        CliRun run = CliRun.of("completion");

        // then the script completes the sub-commands and their options
        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("complete -F _complete_ladder")
                .contains("replay")
                .contains("--format");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void shouldFailStatusAgainstAClosedPortWithOneLineNamingTheInstance() {
        // when
        CliRun run = CliRun.of("status", "e-1", "--url", "http://127.0.0.1:1", "--timeout", "2s");

        // then
        assertThat(run.exitCode()).isEqualTo(LadderCli.FAILED);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().lines().toList())
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .startsWith("ladder: could not reach the Ladder instance at http://127.0.0.1:1 within 2s"));
    }

    @Test
    void shouldPrintTheStackTraceOnlyWithVerbose() {
        // when
        CliRun quiet = CliRun.of("status", "e-1", "--url", "http://127.0.0.1:1", "--timeout", "2s");
        CliRun verbose = CliRun.of("status", "e-1", "--url", "http://127.0.0.1:1", "--timeout", "2s", "--verbose");

        // then
        assertThat(quiet.err()).doesNotContain("\tat ");
        assertThat(verbose.err().lines().findFirst())
                .hasValueSatisfying(l -> assertThat(l).startsWith("ladder: "));
        assertThat(verbose.err()).contains("\tat ").contains("Unreachable");
    }

    private Path minimalConfig() throws Exception {
        return Files.writeString(dir.resolve("minimal.yaml"), """
                bootstrap-servers: 127.0.0.1:1
                topics: {main: orders}
                handler: {http: {url: "http://127.0.0.1:1/hook"}}
                """);
    }

    @Test
    void shouldReplayAtTheCapOrElseTheDrainRateByDefault() {
        assertThat(Replayer.defaultRate(new RateLimitSettings(200, true, 50))).isEqualTo(200);
        assertThat(Replayer.defaultRate(RateLimitSettings.defaults())).isEqualTo(50);
        assertThat(Replayer.defaultRate(new RateLimitSettings(0, true, 0)))
                .isEqualTo(RateLimitSettings.defaults().drainRate());
    }
}
