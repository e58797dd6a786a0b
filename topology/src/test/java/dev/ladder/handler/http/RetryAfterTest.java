package dev.ladder.handler.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class RetryAfterTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("1994-11-06T08:49:00Z"), ZoneOffset.UTC);
    private static final Instant DATE = Instant.parse("1994-11-06T08:49:37Z");

    @Test
    void shouldAddDelaySecondsToNow() {
        assertThat(RetryAfter.parse(" 120 ", CLOCK)).contains(CLOCK.instant().plusSeconds(120));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Sun, 06 Nov 1994 08:49:37 GMT", // IMF-fixdate
                "Sunday, 06-Nov-94 08:49:37 GMT", // obsolete RFC 850
                "Sun Nov  6 08:49:37 1994" // obsolete asctime
            })
    void shouldReadEveryHttpDateFormat(String value) {
        assertThat(RetryAfter.parse(value, CLOCK)).contains(DATE);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"soon", "-5", "1.5", "99999999999999999999999", "Sun, 06 Nov 1994 08:00:00 GMT"})
    void shouldGiveNoHintForMissingUnreadableOrPastValues(String value) {
        assertThat(RetryAfter.parse(value, CLOCK)).isEmpty();
    }
}
