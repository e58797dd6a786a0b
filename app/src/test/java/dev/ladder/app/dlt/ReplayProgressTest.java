package dev.ladder.app.dlt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ReplayProgressTest {

    private static final long SECOND = 1_000_000_000L;

    private final StringWriter text = new StringWriter();
    private final long[] now = {0};

    @Test
    void shouldDrawABarWithTotalRateAndTimeLeftOnATerminal() {
        // given a terminal and a topic of 1000 records
        ReplayProgress progress = new ReplayProgress(new PrintWriter(text), true, 1000, () -> now[0]);

        // when 250 were read in 5 s, 200 of them replayed
        now[0] = 5 * SECOND;
        progress.update(250, 200);

        // then the bar is redrawn in place: a quarter full, 50/s, 15 s left
        assertThat(text.toString())
                .startsWith("\r[########......................]")
                .contains("250/1000 read (25%), replayed 200, 50/s, ETA 0:15")
                .doesNotContain("\n");
    }

    @Test
    void shouldEndTheBarsLineWhenDone() {
        // given a bar drawn once
        ReplayProgress progress = new ReplayProgress(new PrintWriter(text), true, 10, () -> now[0]);
        now[0] = SECOND;
        progress.update(5, 5);

        // when the replay finishes
        now[0] = 2 * SECOND;
        progress.finish(10, 10);

        // then the last drawing is full and ends its line
        assertThat(text.toString()).endsWith("10/10 read (100%), replayed 10, 5/s, ETA 0:00" + System.lineSeparator());
    }

    @Test
    void shouldWriteAPlainLineEveryFiveSecondsWhenNotATerminal() {
        // given stderr that is a pipe
        ReplayProgress progress = new ReplayProgress(new PrintWriter(text), false, 100_000, () -> now[0]);

        // when progress is reported every 100 ms for 12 s
        for (int i = 1; i <= 120; i++) {
            now[0] = i * SECOND / 10;
            progress.update(i * 100L, i * 100L);
        }

        // then two lines came, at 5 s and 10 s, without redraws
        assertThat(text.toString().lines().toList())
                .containsExactly(
                        "replay: 5000/100000 read (5%), replayed 5000, 1000/s, ETA 1:35",
                        "replay: 10000/100000 read (10%), replayed 10000, 1000/s, ETA 1:30");
        assertThat(text.toString()).doesNotContain("\r");
    }
}
