package dev.ladder.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladder.avro.RetryEnvelope;
import dev.ladder.handler.Checkpoint;
import dev.ladder.handler.Outcome;
import dev.ladder.policy.LadderSettings;
import dev.ladder.policy.RetryPolicy;
import dev.ladder.policy.Tier;
import dev.ladder.serde.Envelopes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A handler's stage checkpoint survives the retry, so the retry resumes after the last stage. */
class StageCheckpointTest {

    @TempDir
    Path stateDir;

    private LadderDriver ladder;

    @AfterEach
    void close() {
        if (ladder != null) {
            ladder.close();
        }
    }

    /** Charge, reserve, ship: the shipping stage fails on the first attempt. */
    private static ScriptedHandler threeStages(List<String> stagesRun, boolean shippingAlwaysFails) {
        return new ScriptedHandler(event -> {
            Checkpoint checkpoint = event.checkpoint();
            int done = checkpoint
                    .previous()
                    .map(b -> Integer.parseInt(new String(b, StandardCharsets.UTF_8)))
                    .orElse(0);
            for (int stage = done + 1; stage <= 3; stage++) {
                stagesRun.add("stage" + stage + "@attempt" + event.attempt());
                if (stage == 3 && (shippingAlwaysFails || event.attempt() == 1)) {
                    return Outcome.retry("shipping service unavailable");
                }
                checkpoint.save(Integer.toString(stage).getBytes(StandardCharsets.UTF_8));
            }
            return Outcome.success();
        });
    }

    private static LadderSettings settings() {
        return LadderSettings.builder("orders")
                .policy(RetryPolicy.of(Tier.of(Duration.ofMinutes(1), 2)))
                .build();
    }

    @Test
    void shouldResumeAtTheFailedStageOnRetry() {
        // given a three-stage handler whose third stage fails once
        List<String> stagesRun = new CopyOnWriteArrayList<>();
        ladder = new LadderDriver(settings(), threeStages(stagesRun, false), StreamsConfig.EXACTLY_ONCE_V2, stateDir);

        // when the event fails in stage 3, and its retry comes due
        ladder.send("k", "order", new RecordHeader("event-id", "o-1".getBytes(StandardCharsets.UTF_8)));
        assertThat(ladder.status("o-1").getCheckpoint()).isNotNull();
        ladder.advanceInSteps(Duration.ofSeconds(62));

        // then stages 1 and 2 ran once, and the retry started at stage 3
        assertThat(stagesRun)
                .containsExactly("stage1@attempt1", "stage2@attempt1", "stage3@attempt1", "stage3@attempt2");
        assertThat(ladder.status("o-1").getStatus()).isEqualTo("SUCCEEDED");
    }

    @Test
    void shouldShowTheLastCheckpointInTheDeadLetter() {
        // given the third stage never succeeds
        List<String> stagesRun = new CopyOnWriteArrayList<>();
        ladder = new LadderDriver(settings(), threeStages(stagesRun, true), StreamsConfig.EXACTLY_ONCE_V2, stateDir);

        // when the event exhausts its attempts
        ladder.send("k", "order");
        ladder.advanceInSteps(Duration.ofMinutes(3));

        // then the dead letter carries the checkpoint of the last completed stage
        List<RetryEnvelope> dead = ladder.deadLetters();
        assertThat(dead).hasSize(1);
        assertThat(new String(Envelopes.bytes(dead.get(0).getCheckpoint()), StandardCharsets.UTF_8))
                .isEqualTo("2");
        assertThat(stagesRun).filteredOn(s -> s.startsWith("stage1")).hasSize(1);
    }

    @Test
    void shouldRefuseACheckpointOverTheLimit() {
        // given
        Checkpoint checkpoint = new Checkpoint(null, 8);

        // when / then
        assertThatThrownBy(() -> checkpoint.save(new byte[9]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("handler.max-checkpoint-bytes");
    }
}
