package dev.ladder.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.utils.Time;
import org.junit.jupiter.api.Test;

/** Ladder's clock keeps its pace through wall-clock steps forward, and goes back only with steps back. */
class LadderClockTest {

    static final long T0 = 1_767_225_600_000L;
    static final long DAY = Duration.ofDays(1).toMillis();
    static final long HOUR = Duration.ofHours(1).toMillis();

    private final AtomicLong wall = new AtomicLong(T0);
    private final AtomicLong nanos = new AtomicLong(5_000_000_000L);
    private final LadderClock clock = new LadderClock(wall::get, nanos::get);

    private void pass(long millis) {
        wall.addAndGet(millis);
        nanos.addAndGet(millis * 1_000_000L);
    }

    @Test
    void shouldFollowTheWallClockWhileBothClocksAgree() {
        assertThat(clock.millis()).isEqualTo(T0);
        pass(60_000);
        assertThat(clock.millis()).isEqualTo(T0 + 60_000);
        // NTP slewing: 0.05 % off over an hour is no step
        wall.addAndGet(HOUR + 1_800);
        nanos.addAndGet(HOUR * 1_000_000L);
        assertThat(clock.millis()).isEqualTo(T0 + 60_000 + HOUR + 1_800);
    }

    @Test
    void shouldKeepItsPaceWhenTheWallClockStepsADayForward() {
        // given
        clock.millis();
        pass(10_000);

        // when the wall clock steps a day forward, then a minute passes
        wall.addAndGet(DAY);
        long atTheStep = clock.millis();
        pass(60_000);

        // then Ladder's time moved by the minute only
        assertThat(atTheStep).isEqualTo(T0 + 10_000);
        assertThat(clock.millis()).isEqualTo(T0 + 70_000);
        assertThat(clock.backSteps()).isZero();
    }

    @Test
    void shouldUseUpTheOffsetWhenTheWallClockStepsBackAgain() {
        // given a day forward, not followed
        clock.millis();
        wall.addAndGet(DAY);
        clock.millis();

        // when the wall clock steps back as far (the bad step is undone)
        wall.addAndGet(-DAY);
        pass(1_000);

        // then Ladder's time never moved back, and agrees with the wall clock again
        assertThat(clock.millis()).isEqualTo(T0 + 1_000).isEqualTo(wall.get());
        assertThat(clock.backSteps()).isZero();
    }

    @Test
    void shouldGoBackWithAStepBackAndCountIt() {
        // given
        clock.millis();
        pass(10_000);
        clock.millis();

        // when
        wall.addAndGet(-HOUR);

        // then retries get later, never earlier; the step is counted for schedules to re-arm
        assertThat(clock.millis()).isEqualTo(T0 + 10_000 - HOUR);
        assertThat(clock.backSteps()).isEqualTo(1);
    }

    @Test
    void shouldNeverGoBackForJitter() {
        clock.millis();
        wall.addAndGet(-300);
        assertThat(clock.millis()).isEqualTo(T0);
        assertThat(clock.backSteps()).isZero();
    }

    @Test
    void shouldGiveKafkaStreamsATimeThatNeverGoesBack() {
        // given
        Time streams = clock.streamsTime();
        long before = streams.milliseconds();

        // when the wall clock steps an hour back, then a second passes
        wall.addAndGet(-HOUR);
        long atTheStep = streams.milliseconds();
        pass(1_000);

        // then Kafka Streams' time went on: a punctuation it scheduled is not an hour away
        assertThat(atTheStep).isEqualTo(before);
        assertThat(streams.milliseconds()).isEqualTo(before + 1_000);
    }

    @Test
    void shouldFollowAGivenTimeForwardAndCatchItsStepsBack() {
        // given a clock that follows a mock time (a TopologyTestDriver's)
        AtomicLong mock = new AtomicLong(T0);
        LadderClock following = LadderClock.following(mock::get);
        following.millis();

        // when the mock jumps a day forward, then an hour back
        mock.addAndGet(DAY);
        long forward = following.millis();
        mock.addAndGet(-HOUR);
        long back = following.millis();

        // then
        assertThat(forward).isEqualTo(T0 + DAY);
        assertThat(back).isEqualTo(T0 + DAY - HOUR);
        assertThat(following.backSteps()).isEqualTo(1);
    }
}
