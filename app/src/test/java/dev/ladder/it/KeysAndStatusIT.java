package dev.ladder.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ladder.app.LadderApp;
import dev.ladder.handler.Outcome;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code ladder keys} and {@code ladder status} against running apps on a real broker. */
class KeysAndStatusIT {

    @RegisterExtension
    static final KafkaBroker broker = KafkaBroker.shared();

    @TempDir
    Path dir;

    @Test
    void shouldListAndReleaseAKeyHeldAfterItsHeadDied() {
        // given the hold policy, and key K whose head is rejected with two followers behind it
        String main = broker.uniqueTopic("held");
        broker.createTopic(main, 2);
        OpsFixture.Recording handler = new OpsFixture.Recording(
                e -> "head".equals(OpsFixture.text(e.value())) ? Outcome.fail("bad head") : Outcome.success());
        Path config =
                OpsFixture.config(dir, broker, main, broker.uniqueId("app"), "ordering:\n  on-dead-letter: hold\n");
        try (LadderApp app = OpsFixture.start(config, handler)) {
            String url = "http://localhost:" + app.port();
            broker.produce(main, "K", "head", Map.of("event-id", "head-1"));
            broker.produce(main, "K", "f1", Map.of("event-id", "f-1"));
            broker.produce(main, "K", "f2", Map.of("event-id", "f-2"));

            // when the operator lists the blocked keys
            await("K held with 2 parked")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> ops("keys", "blocked", "--url", url).out().contains("\"parked\":2"));
            OpsFixture.Run blocked = ops("keys", "blocked", "--url", url);
            OpsFixture.Run noToken = OpsFixture.cli("keys", "blocked", "--url", url);
            OpsFixture.Run head = ops("status", "head-1", "--url", url);
            OpsFixture.Run follower = ops("status", "f-1", "--url", url);

            // then K is shown, the head is dead-lettered and its followers parked
            assertThat(blocked.exitCode()).isZero();
            assertThat(noToken.exitCode()).isEqualTo(1);
            assertThat(noToken.out()).contains("needs a token: --token-file FILE or LADDER_OPS_TOKEN");
            assertThat(blocked.out()).contains("\"key\":\"K\"", "\"keyEncoding\":\"utf8\"", "\"heldReason\":");
            assertThat(head.out()).contains("\"status\":\"DEAD_LETTERED\"");
            assertThat(follower.out()).contains("\"status\":\"PARKED\"");
            assertThat(handler.values()).containsExactly("head");

            // when it releases K
            OpsFixture.Run release = ops("keys", "release", "K", "--url", url);

            // then the followers run in order and K is no longer held; a second release finds nothing
            assertThat(release.exitCode()).as(release.out()).isZero();
            assertThat(release.out()).contains("\"status\":\"release requested\"");
            await("followers handled")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> handler.values().size() == 3);
            assertThat(handler.values()).containsExactly("head", "f1", "f2");
            assertThat(ops("keys", "blocked", "--url", url).out().trim()).isEqualTo("[]");
            OpsFixture.Run again = ops("keys", "release", "K", "--url", url);
            assertThat(again.exitCode()).isEqualTo(1);
            assertThat(again.out()).contains("not held");
        }
    }

    @Test
    void shouldAnswerTheStatusOfAnEventOwnedByTheOtherInstance() {
        // given two instances of one application sharing a 2-partition topic, one partition each
        String main = broker.uniqueTopic("status");
        broker.createTopic(main, 2);
        String appId = broker.uniqueId("app");
        OpsFixture.Recording handler = new OpsFixture.Recording(e -> Outcome.success());
        try (LadderApp a = new LadderApp(
                                dev.ladder.config.LadderConfigLoader.load(
                                        OpsFixture.config(dir, broker, main, appId, "")),
                                handler,
                                true)
                        .start();
                LadderApp b = new LadderApp(
                                dev.ladder.config.LadderConfigLoader.load(
                                        OpsFixture.config(dir, broker, main, appId, "")),
                                handler,
                                true)
                        .start()) {
            await("one partition on each instance")
                    .atMost(Duration.ofSeconds(90))
                    .until(() -> activeTasks(a) == 1 && activeTasks(b) == 1);
            for (int p = 0; p < 2; p++) {
                RecordHeaders h = new RecordHeaders();
                h.add("event-id", OpsFixture.utf8("ev-" + p));
                broker.produce(new ProducerRecord<>(main, p, OpsFixture.utf8("k" + p), OpsFixture.utf8("v" + p), h));
            }
            await("both handled").atMost(Duration.ofSeconds(60)).until(() -> handler.calls.size() == 2);

            // when each instance is asked about both events
            for (String id : new String[] {"ev-0", "ev-1"}) {
                String fromA = await("status of " + id + " from a")
                        .atMost(Duration.ofSeconds(30))
                        .until(
                                () -> ops("status", id, "--url", "http://localhost:" + a.port())
                                        .out(),
                                out -> out.contains("SUCCEEDED"));
                String fromB = await("status of " + id + " from b")
                        .atMost(Duration.ofSeconds(30))
                        .until(
                                () -> ops("status", id, "--url", "http://localhost:" + b.port())
                                        .out(),
                                out -> out.contains("SUCCEEDED"));

                // then both answer, with the owner's answer (one of them forwarded the question)
                assertThat(fromA).isEqualTo(fromB).contains("\"eventId\":\"" + id + "\"");
            }
            String instanceOf0 = owner(ops("status", "ev-0", "--url", "http://localhost:" + a.port())
                    .out());
            String instanceOf1 = owner(ops("status", "ev-1", "--url", "http://localhost:" + a.port())
                    .out());
            assertThat(instanceOf0).isNotEqualTo(instanceOf1);
            OpsFixture.Run unknown = ops("status", "nope", "--url", "http://localhost:" + a.port());
            assertThat(unknown.exitCode()).isEqualTo(1);
            assertThat(unknown.out()).contains("unknown event");
        }
    }

    private static int activeTasks(LadderApp app) {
        return app.streams()
                .filter(s -> s.state() == KafkaStreams.State.RUNNING)
                .map(s -> s.metadataForLocalThreads().stream()
                        .mapToInt(t -> t.activeTasks().size())
                        .sum())
                .orElse(0);
    }

    private static String owner(String json) {
        int i = json.indexOf("\"instance\":\"");
        return json.substring(i, json.indexOf('"', i + 12));
    }

    /** Runs {@code ladder ARGS} with the operator token's file. */
    private OpsFixture.Run ops(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--token-file", OpsTokens.operatorFile(dir)));
        return OpsFixture.cli(all.toArray(String[]::new));
    }
}
