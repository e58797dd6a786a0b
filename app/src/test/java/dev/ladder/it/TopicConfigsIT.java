package dev.ladder.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ladder.app.LadderApp;
import dev.ladder.app.cli.LadderCli;
import dev.ladder.config.LadderConfig;
import dev.ladder.policy.TopicNames;
import dev.ladder.testing.TestHttpServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Ladder creates its tier and dead-letter topics with the retention and record limit they need,
 * as a real broker reports them, and {@code topics verify} reports a config someone changed.
 */
class TopicConfigsIT {

    @RegisterExtension
    static final KafkaBroker broker = KafkaBroker.shared();

    @TempDir
    Path dir;

    @Test
    void shouldCreateTopicsWithSafeConfigsAndVerifyShouldReportAnAlteredOne() throws Exception {
        // given a main topic with the broker's default limits and a Ladder that creates its topics
        String main = broker.uniqueTopic("configs");
        broker.createTopic(main, 2);
        try (TestHttpServer hook = TestHttpServer.byEvent((id, arrival) -> 200)) {
            LadderFixture fixture =
                    new LadderFixture(broker.uniqueId("ladder-configs"), broker.bootstrapServers(), main, hook.url());
            Path file = fixture.write(dir.resolve("conf"), dir.resolve("state"));
            LadderConfig config = fixture.load(dir.resolve("conf"), dir.resolve("state"));
            TopicNames topics = LadderFixture.topics(config);
            try (LadderApp app = new LadderApp(config, null, true).start()) {
                await("Ladder ready")
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> LadderFixture.get(app.port(), "/health/ready") == 200);
            }

            // then the broker reports the configs Ladder derived
            Map<String, Config> configs = describe(topics);
            for (String tier : topics.tiers()) {
                assertThat(value(configs, tier, TopicConfig.RETENTION_MS_CONFIG))
                        .as(tier)
                        .isEqualTo(Long.toString(Duration.ofDays(7).toMillis()));
                assertThat(value(configs, tier, TopicConfig.MAX_MESSAGE_BYTES_CONFIG))
                        .as(tier)
                        .isEqualTo("1288010");
            }
            assertThat(value(configs, topics.deadLetter(), TopicConfig.RETENTION_MS_CONFIG))
                    .isEqualTo("-1");
            assertThat(value(configs, topics.deadLetter(), TopicConfig.MAX_MESSAGE_BYTES_CONFIG))
                    .isEqualTo("1288010");
            assertThat(value(configs, main, TopicConfig.MAX_MESSAGE_BYTES_CONFIG))
                    .isEqualTo("1048588");
            assertThat(verify(file)).satisfies(run -> {
                assertThat(run.code).as(run.err).isZero();
                assertThat(run.out).contains("topics ok");
            });

            // when someone gives the dead-letter topic the broker's 7-day retention
            ConfigResource dlt = new ConfigResource(ConfigResource.Type.TOPIC, topics.deadLetter());
            broker.admin()
                    .incrementalAlterConfigs(Map.of(
                            dlt,
                            List.of(new AlterConfigOp(
                                    new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG, "604800000"),
                                    AlterConfigOp.OpType.SET))))
                    .all()
                    .get(30, TimeUnit.SECONDS);

            // then verify says so, with the fix, and exits non-zero
            Run run = verify(file);
            assertThat(run.code).isEqualTo(LadderCli.MISMATCH);
            assertThat(run.out).doesNotContain("topics ok");
            assertThat(run.err)
                    .contains("1 topic config finding")
                    .contains(topics.deadLetter() + ": retention.ms is 604800000")
                    .contains("retention.ms=-1");
        }
    }

    private record Run(int code, String out, String err) {}

    private static Run verify(Path file) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = LadderCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute("topics", "verify", "--config", file.toString());
        return new Run(code, out.toString(), err.toString());
    }

    private static Map<String, Config> describe(TopicNames topics) throws Exception {
        List<ConfigResource> resources = new ArrayList<>();
        resources.add(new ConfigResource(ConfigResource.Type.TOPIC, topics.main()));
        topics.sinks().forEach(t -> resources.add(new ConfigResource(ConfigResource.Type.TOPIC, t)));
        Map<String, Config> byName = new java.util.HashMap<>();
        broker.admin()
                .describeConfigs(resources)
                .all()
                .get(30, TimeUnit.SECONDS)
                .forEach((resource, config) -> byName.put(resource.name(), config));
        return byName;
    }

    private static String value(Map<String, Config> configs, String topic, String name) {
        return configs.get(topic).get(name).value();
    }
}
