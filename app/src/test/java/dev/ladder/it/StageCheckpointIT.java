package dev.ladder.it;

import static dev.ladder.it.CommittedReader.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ladder.app.LadderApp;
import dev.ladder.avro.RetryEnvelope;
import dev.ladder.config.LadderConfig;
import dev.ladder.config.LadderConfigLoader;
import dev.ladder.handler.Checkpoint;
import dev.ladder.handler.Event;
import dev.ladder.handler.EventHandler;
import dev.ladder.handler.Outcome;
import dev.ladder.kernel.LadderHeaders;
import dev.ladder.policy.TopicNames;
import dev.ladder.serde.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A three-stage handler (charge, reserve, ship) against a real broker: a retry resumes at the stage
 * that failed, and an always-failing event's dead letter and {@code GET /events/{id}} show the
 * checkpoint of the last completed stage.
 */
class StageCheckpointIT {

    @RegisterExtension
    static final KafkaBroker broker = KafkaBroker.shared();

    @TempDir
    Path dir;

    /** Records "id:stageN@attemptM" for every stage it runs; stage 3 fails on attempt 1, always for "doomed" ids. */
    static final class ThreeStages implements EventHandler {
        final List<String> stagesRun = new CopyOnWriteArrayList<>();

        @Override
        public Outcome handle(Event event) {
            Checkpoint checkpoint = event.checkpoint();
            int done = checkpoint
                    .previous()
                    .map(b -> Integer.parseInt(new String(b, StandardCharsets.UTF_8)))
                    .orElse(0);
            for (int stage = done + 1; stage <= 3; stage++) {
                stagesRun.add(event.eventId() + ":stage" + stage + "@attempt" + event.attempt());
                if (stage == 3 && (event.eventId().startsWith("doomed") || event.attempt() == 1)) {
                    return Outcome.retry("shipping service unavailable");
                }
                checkpoint.save(Integer.toString(stage).getBytes(StandardCharsets.UTF_8));
            }
            return Outcome.success();
        }

        List<String> of(String id) {
            return stagesRun.stream()
                    .filter(s -> s.startsWith(id + ":"))
                    .map(s -> s.substring(id.length() + 1))
                    .toList();
        }
    }

    @Test
    void shouldResumeAtTheFailedStageAndShowTheCheckpointInTheDeadLetterAndTheStatus() {
        // given
        String main = broker.uniqueTopic("stages");
        broker.createTopic(main, 2);
        Path file = GateFixture.write(
                dir.resolve("ladder.yaml"),
                GateFixture.yaml(
                        broker.uniqueId("ladder-stages"),
                        broker.bootstrapServers(),
                        dir.resolve("state"),
                        main,
                        "http://127.0.0.1:1/unused",
                        "1s",
                        2,
                        ""));
        LadderConfig config = LadderConfigLoader.load(file, Map.of());
        TopicNames topics = config.toSettings().topics();
        ThreeStages handler = new ThreeStages();
        try (LadderApp app = new LadderApp(config, handler, true).start()) {
            await("Ladder ready")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> LadderFixture.get(app.port(), "/health/ready") == 200);
            try (CommittedReader out = new CommittedReader(
                            broker.bootstrapServers(), topics.output().orElseThrow());
                    CommittedReader dlt = new CommittedReader(broker.bootstrapServers(), topics.deadLetter())) {

                // when one order fails in stage 3 once, and another always
                broker.produce(main, "c-1", "order-1", Map.of("event-id", "order-1"));
                broker.produce(main, "c-2", "order-2", Map.of("event-id", "doomed-2"));

                // then the first resumes at stage 3 on its retry
                await("order-1 in the output")
                        .atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() ->
                                out.poll().stream().anyMatch(r -> "order-1".equals(header(r, LadderHeaders.EVENT_ID))));
                assertThat(handler.of("order-1"))
                        .containsExactly("stage1@attempt1", "stage2@attempt1", "stage3@attempt1", "stage3@attempt2");

                // and the always-failing one is dead-lettered with the checkpoint of stage 2, stages 1 and 2 run once
                await("doomed-2 in the dead-letter topic")
                        .atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> dlt.poll().stream()
                                .anyMatch(r -> "doomed-2".equals(header(r, LadderHeaders.EVENT_ID))));
                List<ConsumerRecord<String, byte[]>> dead = dlt.poll();
                assertThat(dead).hasSize(1);
                RetryEnvelope envelope = AvroCodec.ENVELOPE.decode(dead.get(0).value());
                assertThat(CommittedReader.utf8(envelope.getCheckpoint())).isEqualTo("2");
                assertThat(envelope.getAttempts()).isEqualTo(LadderFixture.MAX_ATTEMPTS);
                assertThat(handler.of("doomed-2"))
                        .containsExactly(
                                "stage1@attempt1",
                                "stage2@attempt1",
                                "stage3@attempt1",
                                "stage3@attempt2",
                                "stage3@attempt3",
                                "stage3@attempt4");

                // and the event status on the ops port shows the checkpoint too
                var status = LadderFixture.fetch(app.port(), "/events/doomed-2");
                assertThat(status.statusCode()).isEqualTo(200);
                assertThat(status.body())
                        .contains("\"DEAD_LETTERED\"")
                        .containsPattern("\"checkpoint\"\\s*:\\s*\""
                                + Base64.getEncoder().encodeToString("2".getBytes(StandardCharsets.UTF_8)) + "\"");
            }
        }
    }
}
