package dev.ladder.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
}
