package dev.ladder.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.config.LadderConfig;
import dev.ladder.config.LadderConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the app does with a reload that needs a restart: stop for it (exit), or report it (log). */
class LadderAppReloadTest {

    private static final String BASE = """
            bootstrap-servers: 127.0.0.1:1
            topics: {main: orders}
            handler:
              http: {url: "http://127.0.0.1:1/hook"}
            """;

    @TempDir
    Path dir;

    private LadderConfig load(String text) throws IOException {
        return LadderConfigLoader.load(Files.writeString(dir.resolve("ladder.yaml"), text), Map.of());
    }

    private static double restartGauge(LadderApp app) {
        return app.metrics()
                .registry()
                .get(LadderApp.RESTART_REQUIRED_METRIC)
                .gauge()
                .value();
    }

    @Test
    void shouldStopWaitingForARestartUnderExit() throws Exception {
        // given a Ladder that was never started (nothing to close but the handler)
        try (LadderApp app = new LadderApp(load(BASE), null, false)) {
            // when the main topic changes
            ConfigReloader.Result result = app.reload(load(BASE.replace("main: orders", "main: payments")));

            // then awaitTermination returns at once, cleanly, with the reason to restart
            assertThat(result.status()).isEqualTo(ConfigReloader.Status.RESTART_NOW);
            assertThat(app.awaitTermination()).isTrue();
            assertThat(app.restartRequested()).get().asString().contains("topics");
            assertThat(app.failure()).isEmpty();
            assertThat(restartGauge(app)).isEqualTo(1.0);
        }
    }

    @Test
    void shouldReportAPendingRestartUnderLogAndKeepRunning() throws Exception {
        // given
        String base = BASE + "reload-restart-required: log\n";
        try (LadderApp app = new LadderApp(load(base), null, false)) {
            assertThat(restartGauge(app)).isZero();

            // when the main topic changes
            app.reload(load(base.replace("main: orders", "main: payments")));

            // then the app keeps going on the old settings, and says a restart is required
            assertThat(app.restartRequested()).isEmpty();
            assertThat(app.restartRequired()).isPresent();
            assertThat(restartGauge(app)).isEqualTo(1.0);
            assertThat(app.settings().topics().main()).isEqualTo("orders");

            // when the file is put back, then nothing is pending
            app.reload(load(base));
            assertThat(app.restartRequired()).isEmpty();
            assertThat(restartGauge(app)).isZero();
        }
    }
}
