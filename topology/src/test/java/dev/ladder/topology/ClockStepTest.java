package dev.ladder.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.policy.LadderSettings;
import dev.ladder.policy.RetryPolicy;
import dev.ladder.policy.Tier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Wall-clock steps through the TopologyTestDriver's clock: a step forward of a day runs no retry
 * early and forgets no event id early; a step back of an hour stalls no punctuation.
 */
class ClockStepTest {

    static final Duration ONE_MINUTE = Duration.ofMinutes(1);

    @TempDir
    Path stateDir;

    private LadderDriver ladder;

    @AfterEach
    void close() {
        if (ladder != null) {
            ladder.close();
        }
    }

    static LadderSettings settings() {
        return LadderSettings.builder("orders")
                .policy(RetryPolicy.of(Tier.of(ONE_MINUTE, 3)))
                .idempotencyRetention(Duration.ofHours(1))
                .build();
    }

    static ScriptedHandler failingOnce() {
        Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
        return new ScriptedHandler(e ->
                seen.computeIfAbsent(e.eventId(), id -> new AtomicInteger()).incrementAndGet() == 1
                        ? dev.ladder.handler.Outcome.retry("busy")
                        : dev.ladder.handler.Outcome.success());
    }

    @Test
    void shouldRunNoRetryEarlyWhenTheWallClockStepsADayForward() {
        // given an event that failed at START, its retry due a minute later
        ScriptedHandler handler = failingOnce();
        ladder = LadderDriver.withClock(settings(), handler, StreamsConfig.EXACTLY_ONCE_V2, stateDir);
        ladder.send("K", "v");
        ladder.advance(Duration.ofSeconds(10));

        // when the wall clock steps a day forward, then 49 more seconds pass
        ladder.stepWallClock(Duration.ofDays(1));
        ladder.advanceInSteps(Duration.ofSeconds(49));
        List<String> beforeTheMinute = List.copyOf(handler.values());
        ladder.advanceInSteps(Duration.ofSeconds(2));

        // then the retry waited its minute, no less
        assertThat(beforeTheMinute).containsExactly("v");
        assertThat(handler.values()).containsExactly("v", "v");
    }

    @Test
    void shouldForgetNoEventIdEarlyWhenTheWallClockStepsADayForward() {
        // given an event id finished at START, remembered for an hour
        ScriptedHandler handler = ScriptedHandler.alwaysSucceeds();
        ladder = LadderDriver.withClock(settings(), handler, StreamsConfig.EXACTLY_ONCE_V2, stateDir);
        RecordHeader id = new RecordHeader("event-id", "order-1".getBytes(StandardCharsets.UTF_8));
        ladder.send("K", "v", id);
        ladder.advance(Duration.ofMinutes(10));

        // when the wall clock steps a day forward and the punctuation (which expires ids) runs
        ladder.stepWallClock(Duration.ofDays(1));
        ladder.advanceInSteps(Duration.ofSeconds(2));
        ladder.send("K", "v", id);

        // then its duplicate is still recognised
        assertThat(handler.values()).containsExactly("v");
        assertThat(ladder.status("order-1")).isNotNull();

        // and once the hour has really passed, the id is forgotten
        ladder.advance(Duration.ofMinutes(51));
        ladder.send("K", "v", id);
        assertThat(handler.values()).containsExactly("v", "v");
    }

    @ParameterizedTest(name = "application clock: {0}")
    @ValueSource(booleans = {true, false})
    void shouldKeepPunctuatingWhenTheWallClockStepsAnHourBack(boolean applicationClock) {
        // given an event that failed at START, its retry due at START + 1 min
        ScriptedHandler handler = failingOnce();
        ladder = applicationClock
                ? LadderDriver.withClock(settings(), handler, StreamsConfig.EXACTLY_ONCE_V2, stateDir)
                : new LadderDriver(settings(), handler, StreamsConfig.EXACTLY_ONCE_V2, stateDir);
        ladder.send("K1", "a");
        ladder.advance(Duration.ofSeconds(10));

        // when the wall clock steps an hour back, then another event fails
        ladder.stepWallClock(Duration.ofHours(-1));
        ladder.send("K2", "b");
        ladder.advanceInSteps(Duration.ofSeconds(61));

        // then the new retry ran after its minute (Kafka Streams would not punctuate for an hour);
        // the first one, due by the old clock, is later, never earlier
        assertThat(handler.values()).containsExactly("a", "b", "b");
        ladder.advance(Duration.ofMinutes(58));
        assertThat(handler.values()).containsExactly("a", "b", "b");
        ladder.advance(Duration.ofMinutes(2));
        assertThat(handler.values()).containsExactly("a", "b", "b", "a");
    }
}
