package dev.ladder.app.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladder.app.dlt.DeadLetter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeadLetterQueryTest {

    private static final Instant NOW = Instant.parse("2026-05-01T12:00:00Z");

    @Test
    void shouldReadTheDltListFiltersAndASelection() {
        // given the parameters of a request
        Map<String, String> params = HttpQuery.parse(
                "key=order%2B7&since=2h&exception=Timeout&httpStatus=503&selection=0%4012,%201@7&page=2");
        // when
        DeadLetterQuery query = DeadLetterQuery.of(params, NOW);
        // then
        assertThat(query.filter().key()).isEqualTo("order+7");
        assertThat(query.filter().since()).isEqualTo(Instant.parse("2026-05-01T10:00:00Z"));
        assertThat(query.filter().exception()).isEqualTo("Timeout");
        assertThat(query.filter().httpStatus()).isEqualTo(503);
        assertThat(query.selection()).containsExactlyInAnyOrder("0@12", "1@7");
        assertThat(query.isEverything()).isFalse();
        assertThat(query.describe()).contains("key=order+7", "httpStatus=503", "selection=2 dead letters");
    }

    @Test
    void shouldTakeBothTheFilterAndTheSelection() {
        DeadLetterQuery query = DeadLetterQuery.of(HttpQuery.parse("key=k&selection=0@1"), NOW);

        assertThat(query.matches().test(deadLetter("k", 0, 1))).isTrue();
        assertThat(query.matches().test(deadLetter("k", 0, 2)))
                .as("not selected")
                .isFalse();
        assertThat(query.matches().test(deadLetter("other", 0, 1)))
                .as("filtered out")
                .isFalse();
    }

    @Test
    void shouldMeanEverythingWithoutParameters() {
        DeadLetterQuery query = DeadLetterQuery.of(HttpQuery.parse(""), NOW);
        assertThat(query.isEverything()).isTrue();
        assertThat(query.describe()).isEqualTo("all");
    }

    @Test
    void shouldNameTheParameterThatCannotBeRead() {
        assertThatThrownBy(() -> DeadLetterQuery.of(HttpQuery.parse("selection=0-12"), NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("partition@offset");
        assertThatThrownBy(() -> DeadLetterQuery.of(HttpQuery.parse("httpStatus=abc"), NOW))
                .hasMessageContaining("httpStatus must be a whole number");
        assertThatThrownBy(() -> DeadLetterQuery.of(HttpQuery.parse("since=yesterday"), NOW))
                .hasMessageContaining("neither an ISO instant");
    }

    private static DeadLetter deadLetter(String key, int partition, long offset) {
        return new DeadLetter(
                DeadLetter.Format.RAW,
                "orders-dlt",
                partition,
                offset,
                NOW.toEpochMilli(),
                key.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                new byte[0],
                List.of(),
                "e-1",
                "orders",
                0,
                0L,
                1,
                null,
                NOW.toEpochMilli(),
                "failed",
                null,
                null,
                null,
                List.of(),
                0,
                null);
    }
}
