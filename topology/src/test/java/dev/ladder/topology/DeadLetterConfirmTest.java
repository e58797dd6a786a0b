package dev.ladder.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.downstream.DownstreamGate;
import dev.ladder.handler.Outcome;
import dev.ladder.kernel.LadderMetrics;
import dev.ladder.policy.BreakerSettings;
import dev.ladder.policy.LadderSettings;
import dev.ladder.policy.LiveSettings;
import dev.ladder.policy.RateLimitSettings;
import dev.ladder.policy.RetryPolicy;
import dev.ladder.policy.Tier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * With the breaker on, a last attempt that fails transiently is dead-lettered one probe interval
 * later, not at once: if an outage the breaker had not judged yet caused it, the attempt is given
 * back instead.
 */
class DeadLetterConfirmTest {

    private static final Duration PROBE_INTERVAL = Duration.ofSeconds(5);

    @TempDir
    Path stateDir;

    private static LadderSettings settings() {
        return settings(3);
    }

    private static LadderSettings settings(int minimumCalls) {
        return LadderSettings.builder("orders")
                .policy(RetryPolicy.of(Tier.of(Duration.ofSeconds(1), 1)))
                .outputTopicPattern("{main}-out")
                .breaker(new BreakerSettings(true, 10, minimumCalls, 0.8, Duration.ofSeconds(5), PROBE_INTERVAL, 1))
                .rateLimit(RateLimitSettings.defaults())
                .build();
    }

    @ParameterizedTest
    @ValueSource(strings = {StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE})
    void shouldDeadLetterItsOwnLastFailureOneProbeIntervalLater(String guarantee) {
        // given an event that always fails while the downstream answers others
        LadderSettings settings = settings();
        ScriptedHandler handler = new ScriptedHandler(event ->
                ScriptedHandler.text(event.value()).startsWith("bad") ? Outcome.retry("503") : Outcome.success());
        DownstreamGate gate = DownstreamGate.of(settings.breaker(), settings.rateLimit(), LadderMetrics.noop());
        try (LadderDriver ladder =
                new LadderDriver(new LiveSettings(settings), handler, gate, guarantee, stateDir, LadderDriver.START)) {
            send(ladder, "k1", "bad-1");
            send(ladder, "k2", "good-1");
            ladder.advance(Duration.ofMillis(1_500));
            send(ladder, "k3", "good-2");

            // when its last attempt (tier 1) has failed
            assertThat(ladder.status("bad-1").getAttempts()).isEqualTo(2);

            // then it is not dead-lettered yet, but one probe interval later it is, with both failures
            assertThat(ladder.deadLetters()).isEmpty();
            ladder.advance(PROBE_INTERVAL.plusSeconds(1));
            assertThat(ladder.deadLetters()).hasSize(1);
            assertThat(ladder.status("bad-1").getStatus()).isEqualTo("DEAD_LETTERED");
            assertThat(ladder.status("bad-1").getAttempts()).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE})
    void shouldWaitToConfirmUntilTheDownstreamAnswersSomeone(String guarantee) {
        // given an event whose last attempt failed, then others failing and nobody answered (too
        // few calls for the breaker to judge: it may be an outage the breaker has not seen yet)
        LadderSettings settings = settings(10); // the breaker does not judge these few calls
        AtomicBoolean answering = new AtomicBoolean(false);
        ScriptedHandler handler = new ScriptedHandler(
                event -> answering.get() && !ScriptedHandler.text(event.value()).startsWith("bad")
                        ? Outcome.success()
                        : Outcome.retry("503"));
        DownstreamGate gate = DownstreamGate.of(settings.breaker(), settings.rateLimit(), LadderMetrics.noop());
        try (LadderDriver ladder =
                new LadderDriver(new LiveSettings(settings), handler, gate, guarantee, stateDir, LadderDriver.START)) {
            send(ladder, "k1", "bad-1");
            ladder.advance(Duration.ofMillis(1_500));
            assertThat(ladder.status("bad-1").getAttempts()).isEqualTo(2);
            ladder.advance(Duration.ofMillis(10));
            send(ladder, "k3", "other-1");

            // when another call fails after it, and two probe intervals pass without an answer to anyone
            ladder.advance(PROBE_INTERVAL.multipliedBy(2).plusSeconds(1));

            // then it still waits, attempts intact
            assertThat(ladder.deadLetters()).isEmpty();
            assertThat(ladder.status("bad-1").getStatus()).isEqualTo("DEFERRED");

            // and once the downstream answers another event, the next confirmation dead-letters it
            answering.set(true);
            send(ladder, "k2", "good-1");
            ladder.advance(PROBE_INTERVAL.plusSeconds(1));
            assertThat(ladder.deadLetters())
                    .extracting(dev.ladder.avro.RetryEnvelope::getEventId)
                    .contains("bad-1");
            assertThat(ladder.status("bad-1").getStatus()).isEqualTo("DEAD_LETTERED");
            assertThat(ladder.status("bad-1").getAttempts()).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE})
    void shouldConfirmAtThreeProbeIntervalsAtTheLatestWhileOthersKeepFailing(String guarantee) {
        // given an event whose last attempt failed, and a downstream that fails every call while
        // the breaker never judges it (fewer calls than its minimum)
        LadderSettings settings = settings(10); // the breaker does not judge these few calls
        ScriptedHandler handler = new ScriptedHandler(event -> Outcome.retry("503"));
        DownstreamGate gate = DownstreamGate.of(settings.breaker(), settings.rateLimit(), LadderMetrics.noop());
        try (LadderDriver ladder =
                new LadderDriver(new LiveSettings(settings), handler, gate, guarantee, stateDir, LadderDriver.START)) {
            send(ladder, "k1", "bad-1");
            ladder.advance(Duration.ofMillis(1_500));
            ladder.advance(Duration.ofMillis(10));
            send(ladder, "k2", "other-1");

            // when three probe intervals and a little pass
            for (int i = 0; i < 4; i++) {
                ladder.advance(PROBE_INTERVAL);
            }

            // then it is dead-lettered all the same: nothing waits for ever on an unjudged downstream
            assertThat(ladder.deadLetters())
                    .extracting(dev.ladder.avro.RetryEnvelope::getEventId)
                    .contains("bad-1");
            assertThat(ladder.status("bad-1").getAttempts()).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE})
    void shouldConfirmALoneFailingEventAfterOneProbeInterval(String guarantee) {
        // given a quiet downstream: one event fails its last attempt, no other call fails after it
        LadderSettings settings = settings();
        ScriptedHandler handler = new ScriptedHandler(event -> Outcome.retry("503"));
        DownstreamGate gate = DownstreamGate.of(settings.breaker(), settings.rateLimit(), LadderMetrics.noop());
        try (LadderDriver ladder =
                new LadderDriver(new LiveSettings(settings), handler, gate, guarantee, stateDir, LadderDriver.START)) {
            send(ladder, "k1", "bad-1");
            ladder.advance(Duration.ofMillis(1_500));

            // when one probe interval passes
            ladder.advance(PROBE_INTERVAL.plusSeconds(1));

            // then it is dead-lettered: nothing suggests an outage
            assertThat(ladder.deadLetters()).hasSize(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE})
    void shouldGiveTheLastAttemptBackWhenAnOutageCausedIt(String guarantee) {
        // given an event whose first attempt failed on its own, and a downstream that then goes down
        LadderSettings settings = settings();
        AtomicBoolean down = new AtomicBoolean(false);
        AtomicInteger flakyCalls = new AtomicInteger();
        ScriptedHandler handler = new ScriptedHandler(event -> {
            if (down.get()) {
                return Outcome.retry("503 outage");
            }
            if (event.eventId().equals("flaky") && flakyCalls.incrementAndGet() == 1) {
                return Outcome.retry("503 own");
            }
            return Outcome.success();
        });
        DownstreamGate gate = DownstreamGate.of(settings.breaker(), settings.rateLimit(), LadderMetrics.noop());
        try (LadderDriver ladder =
                new LadderDriver(new LiveSettings(settings), handler, gate, guarantee, stateDir, LadderDriver.START)) {
            send(ladder, "k1", "flaky");
            send(ladder, "k2", "ok-1");

            // when the outage starts: its last attempt (tier 1) fails, then fresh events open the breaker
            down.set(true);
            ladder.advance(Duration.ofMillis(1_500));
            send(ladder, "k3", "fresh-1");
            send(ladder, "k4", "fresh-2");
            send(ladder, "k5", "fresh-3");
            assertThat(gate.state(LadderDriver.START.toEpochMilli() + 1_600)).isNotEqualTo(DownstreamGate.State.CLOSED);

            // and the downstream recovers
            down.set(false);
            for (int second = 0; second < 30; second++) {
                ladder.advance(Duration.ofSeconds(1));
            }

            // then nothing was dead-lettered: the outage's failure was given back and the event delivered
            assertThat(ladder.deadLetters()).isEmpty();
            assertThat(ladder.status("flaky").getStatus()).isEqualTo("SUCCEEDED");
            assertThat(ladder.status("flaky").getAttempts()).isEqualTo(2);
        }
    }

    private static void send(LadderDriver ladder, String key, String id) {
        ladder.send(key, id, new RecordHeader("event-id", id.getBytes(StandardCharsets.UTF_8)));
    }
}
