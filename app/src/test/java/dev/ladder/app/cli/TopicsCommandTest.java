package dev.ladder.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.app.embedded.EmbeddedKafka;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopicsCommandTest {

    private static EmbeddedKafka kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() {
        kafka = new EmbeddedKafka().start();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldCreateMissingTopicsThenVerifyThem() throws IOException {
        // given a main topic with 3 partitions and none of Ladder's
        kafka.createTopic("payments", 3);
        Path config = config("payments");

        // when
        CliRun create = CliRun.of("topics", "create", "--config", config.toString());
        CliRun verify = CliRun.of("topics", "verify", "--config", config.toString());

        // then
        assertThat(create.exitCode()).as(create.err()).isZero();
        assertThat(create.out())
                .contains(
                        "created payments-retry-1m, payments-retry-5m, payments-retry-30m, payments-dlt, payments-out");
        assertThat(verify.exitCode()).as(verify.err()).isZero();
        assertThat(verify.out()).contains("topics ok");
        assertThat(verify.out().lines().filter(l -> l.matches(".*payments\\S*\\s+3$")))
                .hasSize(6);
    }

    @Test
    void shouldFailVerifyWhenATierTopicHasAnotherPartitionCount() throws IOException {
        // given a tier topic created by hand with 2 partitions next to a 3-partition main topic
        kafka.createTopic("refunds", 3);
        kafka.createTopic("refunds-retry-1m", 2);
        Path config = config("refunds");

        // when
        CliRun verify = CliRun.of("topics", "verify", "--config", config.toString());

        // then
        assertThat(verify.exitCode()).isEqualTo(LadderCli.MISMATCH);
        assertThat(verify.err())
                .startsWith("ladder: ")
                .contains("refunds-retry-1m has 2")
                .contains("(3 partitions)");
    }

    @Test
    void shouldFailVerifyWhenATopicIsMissing() throws IOException {
        // given only the main topic
        kafka.createTopic("invoices", 3);

        // when
        CliRun verify =
                CliRun.of("topics", "verify", "--config", config("invoices").toString());

        // then
        assertThat(verify.exitCode()).isEqualTo(LadderCli.MISMATCH);
        assertThat(verify.err()).contains("missing topics: invoices-retry-1m");
    }

    private Path config(String main) throws IOException {
        return Files.writeString(dir.resolve(main + ".yaml"), """
                bootstrap-servers: "%s"
                topics: {main: %s, output: true}
                handler: {http: {url: "http://127.0.0.1:1/hook"}}
                """.formatted(kafka.bootstrapServers(), main));
    }
}
