package dev.ladder.app.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class FirstLinesTest {

    @Test
    void shouldKeepOnlyTheFirstLines() {
        // given a sample of two lines
        StringWriter sample = new StringWriter();
        PrintWriter out = new PrintWriter(new FirstLines(sample, 2));
        // when five are written
        for (int i = 1; i <= 5; i++) {
            out.println("{\"n\":" + i + "}");
        }
        out.flush();
        // then
        assertThat(sample.toString().lines()).containsExactly("{\"n\":1}", "{\"n\":2}");
    }
}
