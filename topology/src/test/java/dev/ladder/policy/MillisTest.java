package dev.ladder.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Due-time arithmetic clamps at the ends of long instead of wrapping or throwing. */
class MillisTest {

    @Test
    void shouldAddAndSubtractExactlyInRangeAndSaturateOutOfIt() {
        assertThat(Millis.add(5, -7)).isEqualTo(-2);
        assertThat(Millis.add(Long.MAX_VALUE - 1, 1)).isEqualTo(Long.MAX_VALUE);
        assertThat(Millis.add(Long.MAX_VALUE, 1)).isEqualTo(Long.MAX_VALUE);
        assertThat(Millis.add(Long.MAX_VALUE, Long.MAX_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(Millis.add(Long.MIN_VALUE, -1)).isEqualTo(Long.MIN_VALUE);
        assertThat(Millis.add(Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(-1);
        assertThat(Millis.subtract(5, 7)).isEqualTo(-2);
        assertThat(Millis.subtract(0, Long.MIN_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(Millis.subtract(1_000, Long.MIN_VALUE)).isEqualTo(Long.MAX_VALUE);
        assertThat(Millis.subtract(-2, Long.MAX_VALUE)).isEqualTo(Long.MIN_VALUE);
        assertThat(Millis.subtract(-1, Long.MAX_VALUE)).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void shouldConvertAnyInstantWithoutThrowing() {
        assertThat(Millis.of(Instant.MAX)).isEqualTo(Long.MAX_VALUE);
        assertThat(Millis.of(Instant.MIN)).isEqualTo(Long.MIN_VALUE);
        assertThat(Millis.of(Instant.ofEpochMilli(Long.MAX_VALUE).plusNanos(999_999)))
                .isEqualTo(Long.MAX_VALUE);
        assertThat(Millis.of(Instant.ofEpochMilli(Long.MIN_VALUE).plusNanos(1))).isEqualTo(Long.MIN_VALUE);
        assertThat(Millis.of(Instant.ofEpochMilli(-1_500))).isEqualTo(-1_500);
    }

    @Test
    void shouldConvertAnyDurationWithoutThrowing() {
        assertThat(Millis.of(Duration.ofSeconds(Long.MAX_VALUE, 999_999_999))).isEqualTo(Long.MAX_VALUE);
        assertThat(Millis.of(Duration.ofSeconds(Long.MIN_VALUE))).isEqualTo(Long.MIN_VALUE);
        assertThat(Millis.of(Duration.ofMillis(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
        assertThat(Millis.of(Duration.ofMinutes(15))).isEqualTo(900_000);
    }
}
