package dev.ladder.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
        "500ms,500",
        "30s,30000",
        "5m,300000",
        "2h,7200000",
        "7d,604800000",
        "PT30S,30000",
        "P1D,86400000",
        "pt1m,60000",
        " 10s ,10000"
    })
    void shouldParseEveryForm(String text, long millis) {
        // when
        Duration parsed = Durations.parse(text);
        // then
        assertThat(parsed).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "soon", "10", "5 minutes", "-5s", "1.5s", "PTX"})
    void shouldRejectWhatIsNotADuration(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @CsvSource({"500,500ms", "90000,90s", "120000,2m", "7200000,2h", "86400000,1d", "0,0ms"})
    void shouldFormatInTheShortestExactForm(long millis, String expected) {
        assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(expected);
    }
}
