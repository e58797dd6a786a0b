package dev.ladder.handler.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
        assertThat(RetryAfter.parse("\t5", CLOCK)).contains(CLOCK.instant().plusSeconds(5));
        assertThat(RetryAfter.parse("0005", CLOCK)).contains(CLOCK.instant().plusSeconds(5));
        assertThat(RetryAfter.parse("0", CLOCK)).contains(CLOCK.instant());
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
    @ValueSource(
            strings = {
                "   ",
                "soon",
                "-5",
                "+5",
                "- 5",
                "1.5",
                "1e3",
                "0x10",
                "5 5",
                "5, 10",
                "٥", // a digit, but not an ASCII one
                "-99999999999999999999",
                "Sun, 06 Nov 1994 08:00:00 GMT", // in the past
                "Mon, 01 Jan 1900 00:00:00 GMT", // long past
                "Sunday, 06-Nov-94 08:00:00 GMT",
                "Sun Nov  6 08:00:00 1994",
                "Fri, 31 Dec 9999 23:59:59 GMT trailing",
                "Sat, 31 Dec 9999 23:59:59 GMT", // wrong weekday
                "Sun, 32 Nov 1994 08:49:37 GMT",
                "Sun Nov  6 08:49:37 +1000000000", // asctime year beyond LocalDate's range
                "\u0000\u0001" // control characters only
            })
    void shouldGiveNoHintForMissingUnreadableOrPastValues(String value) {
        assertThat(RetryAfter.parse(value, CLOCK)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "99999999999999999999",
                "9223372036854775807", // Long.MAX_VALUE seconds: beyond Instant.MAX
                "9223372036854775", // fits an Instant, not a long of milliseconds
                "999999999999999999999999999999999999999999999999999999999999"
            })
    void shouldSaturateAHugeDelayInsteadOfThrowingOrIgnoringIt(String value) {
        // a bigger delay never means an earlier retry; the consumer caps it to max-retry-after
        assertThat(RetryAfter.parse(value, CLOCK)).contains(RetryAfter.LATEST);
        assertThat(RetryAfter.LATEST.toEpochMilli()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldReadAFarFutureDateAsThatInstant() {
        // the cap is applied where the hint is consumed, not here
        assertThat(RetryAfter.parse("Fri, 31 Dec 9999 23:59:59 GMT", CLOCK))
                .contains(Instant.parse("9999-12-31T23:59:59Z"));
    }

    @Test
    void shouldSaturateAsctimeYearsBeyondTheRangeOfEpochMilliseconds() {
        // asctime's year may have more than four digits (signed); the weekday must match, so try all
        for (String year : List.of("+10000", "+292278994", "+292278995", "+999999999")) {
            List<Instant> read = new ArrayList<>();
            for (String day : List.of("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")) {
                RetryAfter.parse(day + " Jan  1 00:00:00 " + year, CLOCK).ifPresent(read::add);
            }
            assertThat(read)
                    .as("year " + year)
                    .singleElement()
                    .satisfies(at -> assertThat(at).isAfter(CLOCK.instant()).isBeforeOrEqualTo(RetryAfter.LATEST));
        }
    }

    @Test
    void shouldTakeTheLatestReadableValueOfSeveralHeaders() {
        assertThat(RetryAfter.parse(List.of("5", "garbage", "120", "-1"), CLOCK))
                .contains(CLOCK.instant().plusSeconds(120));
        assertThat(RetryAfter.parse(List.of("Sun, 06 Nov 1994 08:49:37 GMT", "10"), CLOCK))
                .contains(DATE);
        assertThat(RetryAfter.parse(Arrays.asList("soon", null, ""), CLOCK)).isEmpty();
        assertThat(RetryAfter.parse(List.of(), CLOCK)).isEmpty();
    }
}
