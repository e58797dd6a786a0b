package dev.ladder.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI pipes cleanly: data on stdout, everything else on stderr, and a broker that is down costs
 * a bounded wait and one line, while a command's own pace is not bounded by it. Each command runs as
 * a process of its own, so that the real logging configuration (and every line Kafka's clients log)
 * is part of what is checked.
 */
class CliPipesIT {

    @RegisterExtension
    static final KafkaBroker broker = KafkaBroker.shared();

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void shouldFailDltListAgainstAnUnreachableBrokerWithinFifteenSecondsWithOneLine() throws Exception {
        // given a configuration whose broker is a closed port
        Path config = Files.writeString(dir.resolve("down.yaml"), """
                bootstrap-servers: 127.0.0.1:1
                topics: {main: orders}
                handler: {http: {url: "http://127.0.0.1:1/hook"}}
                """);

        // when dlt list runs with its default timeout
        long start = System.nanoTime();
        Result result =
                ladder(List.of(), List.of("dlt", "list", "--config", config.toString()), Duration.ofSeconds(30));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        // then it gave up in time, with one line naming what it could not reach, and wrote no data
        assertThat(took).isLessThan(Duration.ofSeconds(15));
        assertThat(result.code).isEqualTo(1);
        assertThat(result.out).isEmpty();
        assertThat(result.err.lines().toList())
                .singleElement()
                .satisfies(line -> assertThat(line)
                        .startsWith("ladder: could not reach Kafka at 127.0.0.1:1 within 8s")
                        .contains("--verbose"));
    }

    @Test
    void shouldWriteOnlyJsonLinesOnStdoutOfDltList() throws Exception {
        // given a dead-letter topic with three records
        String main = broker.uniqueTopic("pipes");
        broker.createTopic(main, 1);
        broker.createTopic(main + "-dlt", 1);
        for (int i = 0; i < 3; i++) {
            broker.produce(main + "-dlt", "k" + i, "v" + i, Map.of());
        }
        Path config = OpsFixture.config(dir, broker, main, broker.uniqueId("pipes"), "");

        // when dlt list runs as `ladder dlt list | jq` would run it, with Kafka's and Ladder's logs chatty
        Result result = ladder(
                List.of("-Dladder.kafka.log.level=INFO", "-Dladder.log.level=DEBUG"),
                List.of("dlt", "list", "--config", config.toString()),
                Duration.ofSeconds(60));

        // then every stdout line is one dead letter's JSON object, and the logs went to stderr
        assertThat(result.code).as(result.err).isZero();
        List<String> lines = result.out.lines().toList();
        assertThat(lines).hasSize(3);
        for (String line : lines) {
            assertThat(JSON.readTree(line).path("key").asText()).as(line).startsWith("k");
        }
        assertThat(result.err).contains("INFO");
    }

    @Test
    void shouldReplayRawDeadLettersPacedForLongerThanTheTimeout() throws Exception {
        // given 600 plain records in the dead-letter topic: one fetch brings up to 500, 5 s at 100/s
        String main = broker.uniqueTopic("slow");
        broker.createTopic(main, 1);
        broker.createTopic(main + "-dlt", 1);
        for (int i = 0; i < 600; i++) {
            broker.produce(main + "-dlt", "k" + i, "v" + i, Map.of());
        }
        Path config = OpsFixture.config(dir, broker, main, broker.uniqueId("slow"), "");

        // when a dry run paces them at 100/s with a 2 s timeout for the broker's answers
        Result result = ladder(
                List.of(),
                List.of(
                        "dlt",
                        "replay",
                        "--config",
                        config.toString(),
                        "--all",
                        "--dry-run",
                        "--rate",
                        "100",
                        "--timeout",
                        "2s",
                        "--verbose"),
                Duration.ofSeconds(60));

        // then the timeout bounded the waits for the broker, not the time spent pacing, and every raw
        // dead letter (no original topic) was planned by its key: all 600 went
        assertThat(result.code).as(result.err).isZero();
        assertThat(result.out.lines()).hasSize(600);
        assertThat(result.err).contains("replayed 600, skipped 0 (filtered), failed 0");
    }

    private record Result(int code, String out, String err) {}

    private Result ladder(List<String> jvmOptions, List<String> args, Duration limit) throws Exception {
        Path out = dir.resolve("out-" + System.nanoTime());
        Path err = dir.resolve("err-" + System.nanoTime());
        Process process = LadderProcess.cli(jvmOptions, args, out, err);
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("ladder " + args + " still running after " + limit + ": " + Files.readString(err));
        }
        return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }
}
