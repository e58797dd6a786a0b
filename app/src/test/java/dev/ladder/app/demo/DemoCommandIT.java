package dev.ladder.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.app.cli.LadderCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The whole demo end to end: a real broker, Ladder and the flaky endpoint, about 35 s. */
class DemoCommandIT {

    @Test
    void shouldSettleEveryEventExactlyOnceInPerKeyOrder() {
        // given
        StringWriter out = new StringWriter();
        CommandLine cli = LadderCli.commandLine();
        cli.setOut(new PrintWriter(out, true));

        // when
        int code = cli.execute("demo", "--events", "60", "--duration", "60s");

        // then
        assertThat(code).as(out.toString()).isZero();
        assertThat(out.toString())
                .containsPattern("console: http://localhost:\\d+/console/#token=[0-9a-f]{64}")
                .contains("produced       60")
                .contains("duplicates     0")
                .contains("missing        0")
                .contains("RESULT: OK - all 60 events ended in exactly one place, in per-key order");
    }
}
