package dev.ladder.app.dlt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladder.serde.AvroCodec;
import dev.ladder.serde.AvroEnvelopeSerde;
import java.time.Instant;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class DeadLetterFilterTest {

    // dead-lettered at 91s after the epoch, key K, ConnectException, HTTP 503
    private final DeadLetter d = new DeadLetterReader("event-id", new AvroEnvelopeSerde())
            .read(DeadLetterReaderTest.record(
                    AvroCodec.ENVELOPE.encode(DeadLetterReaderTest.envelope("e-1", "K", "v")), new RecordHeaders()));

    @Test
    void shouldMatchEverythingWhenEmpty() {
        assertThat(DeadLetterFilter.NONE.isEmpty()).isTrue();
        assertThat(DeadLetterFilter.NONE.matches(d)).isTrue();
    }

    @Test
    void shouldMatchOnKeyExceptionSubstringAndHttpStatus() {
        assertThat(new DeadLetterFilter("K", null, null, null, null).matches(d)).isTrue();
        assertThat(new DeadLetterFilter("X", null, null, null, null).matches(d)).isFalse();
        assertThat(new DeadLetterFilter(null, null, null, "connectexc", null).matches(d))
                .isTrue();
        assertThat(new DeadLetterFilter(null, null, null, "Timeout", null).matches(d))
                .isFalse();
        assertThat(new DeadLetterFilter(null, null, null, null, 503).matches(d)).isTrue();
        assertThat(new DeadLetterFilter(null, null, null, null, 500).matches(d)).isFalse();
        assertThat(new DeadLetterFilter("K", null, null, "Connect", 500).matches(d))
                .isFalse();
    }

    @Test
    void shouldMatchSinceInclusiveAndUntilExclusiveOnTheDeadLetterTime() {
        Instant at = Instant.ofEpochMilli(91_000);
        assertThat(new DeadLetterFilter(null, at, null, null, null).matches(d)).isTrue();
        assertThat(new DeadLetterFilter(null, at.plusMillis(1), null, null, null).matches(d))
                .isFalse();
        assertThat(new DeadLetterFilter(null, null, at, null, null).matches(d)).isFalse();
        assertThat(new DeadLetterFilter(null, null, at.plusMillis(1), null, null).matches(d))
                .isTrue();
    }

    @Test
    void shouldParseInstantsAndDurationsAgo() {
        Instant now = Instant.parse("2024-05-01T12:00:00Z");
        assertThat(DeadLetterFilter.parseTime("2024-05-01T10:00:00Z", now)).isEqualTo("2024-05-01T10:00:00Z");
        assertThat(DeadLetterFilter.parseTime("2h", now)).isEqualTo("2024-05-01T10:00:00Z");
        assertThat(DeadLetterFilter.parseTime("PT30M", now)).isEqualTo("2024-05-01T11:30:00Z");
        assertThat(DeadLetterFilter.parseTime(null, now)).isNull();
        assertThatThrownBy(() -> DeadLetterFilter.parseTime("yesterday", now))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duration ago");
    }
}
