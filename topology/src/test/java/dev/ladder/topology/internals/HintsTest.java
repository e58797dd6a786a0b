package dev.ladder.topology.internals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.handler.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A not-before hint, whatever instant a handler put in it, becomes a due time in [now, now + max]. */
class HintsTest {

    static final long NOW = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
    static final Duration MAX = Duration.ofMinutes(15);
    static final long LATEST = NOW + MAX.toMillis();

    static Outcome.Transient hint(Instant at) {
        return Outcome.retry("429").withNotBefore(at);
    }

    static Stream<Arguments> hints() {
        return Stream.of(
                Arguments.of(Instant.MAX, LATEST),
                Arguments.of(Instant.ofEpochMilli(Long.MAX_VALUE), LATEST),
                Arguments.of(Instant.ofEpochMilli(Long.MAX_VALUE).plusNanos(1), LATEST),
                Arguments.of(Instant.parse("9999-12-31T23:59:59Z"), LATEST),
                Arguments.of(Instant.ofEpochMilli(LATEST + 1), LATEST),
                Arguments.of(Instant.ofEpochMilli(LATEST), LATEST),
                Arguments.of(Instant.ofEpochMilli(NOW + 2_000), NOW + 2_000),
                Arguments.of(Instant.ofEpochMilli(NOW), NOW),
                Arguments.of(Instant.ofEpochMilli(NOW - 1), NOW),
                Arguments.of(Instant.parse("1900-01-01T00:00:00Z"), NOW),
                Arguments.of(Instant.EPOCH, NOW),
                Arguments.of(Instant.ofEpochMilli(Long.MIN_VALUE), NOW),
                Arguments.of(Instant.ofEpochMilli(Long.MIN_VALUE).minusNanos(1), NOW),
                Arguments.of(Instant.MIN, NOW));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hints")
    void shouldBoundEveryHintToNowAndNowPlusMax(Instant at, long expected) {
        assertThat(Hints.notBefore(hint(at), NOW, MAX)).isEqualTo(expected);
    }

    @Test
    void shouldGiveNowWithoutAHint() {
        assertThat(Hints.notBefore(Outcome.retry("busy"), NOW, MAX)).isEqualTo(NOW);
    }

    @Test
    void shouldSaturateInsteadOfWrappingNearTheEndOfTime() {
        // given a clock and a cap whose sum does not fit in a long
        long lateNow = Long.MAX_VALUE - 10;

        // then
        assertThat(Hints.notBefore(hint(Instant.MAX), lateNow, MAX)).isEqualTo(Long.MAX_VALUE);
        assertThat(Hints.notBefore(hint(Instant.MAX), NOW, Duration.ofSeconds(Long.MAX_VALUE, 999_999_999)))
                .isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldHonourNoDelayAtAllWhenTheCapIsNegative() {
        assertThat(Hints.notBefore(hint(Instant.MAX), NOW, Duration.ofSeconds(-5)))
                .isEqualTo(NOW);
        assertThat(Hints.notBefore(hint(Instant.MAX), NOW, Duration.ofSeconds(Long.MIN_VALUE)))
                .isEqualTo(NOW);
    }

    @Test
    void shouldRewriteAnUnboundedHintSoEveryLaterReaderCanConvertIt() {
        // when
        Outcome bounded = Hints.bounded(hint(Instant.MAX).withHttpStatus(429), NOW, MAX);

        // then the same failure, with a hint of now + max
        assertThat(bounded).isInstanceOfSatisfying(Outcome.Transient.class, t -> {
            assertThat(t.notBefore().toEpochMilli()).isEqualTo(LATEST);
            assertThat(t.httpStatus()).isEqualTo(429);
            assertThat(t.message()).isEqualTo("429");
        });
    }

    @Test
    void shouldLeaveOutcomesWithoutAHintAlone() {
        Outcome.Transient noHint = Outcome.retry("busy");
        assertThat(Hints.bounded(noHint, NOW, MAX)).isSameAs(noHint);
        assertThat(Hints.bounded(Outcome.success(), NOW, MAX)).isSameAs(Outcome.success());
        Outcome.Permanent failed = Outcome.fail("bad");
        assertThat(Hints.bounded(failed, NOW, MAX)).isSameAs(failed);
    }
}
