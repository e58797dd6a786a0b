package dev.ladder.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.config.LadderConfig;
import dev.ladder.config.LadderConfigLoader;
import dev.ladder.handler.Outcome;
import dev.ladder.topology.LiveSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Live configuration changes: applied when they need no restart, refused whole otherwise. */
class ConfigReloaderTest {

    @TempDir
    Path dir;

    private static String yaml(String tiers, double rate, String url) {
        return """
                bootstrap-servers: localhost:9092
                topics: {main: orders}
                retry:
                  tiers: %s
                rate-limit: {calls-per-second: %s}
                handler:
                  http: {url: "%s"}
                """.formatted(tiers, rate, url);
    }

    private LadderConfig load(String text) throws IOException {
        Path file = dir.resolve("ladder.yaml");
        Files.writeString(file, text);
        return LadderConfigLoader.load(file, Map.of());
    }

    @Test
    void shouldApplyANewRateLimitAndTierDelayWithoutARestart() throws IOException {
        // given
        LadderConfig initial = load(yaml("[{delay: 1m, attempts: 3}]", 0, "http://127.0.0.1:1/hook"));
        LiveSettings live = new LiveSettings(initial.toSettings());
        ConfigReloader reloader = new ConfigReloader(initial, live, null);

        // when
        ConfigReloader.Result result =
                reloader.apply(load(yaml("[{delay: 2m, attempts: 3}]", 25, "http://127.0.0.1:1/hook")));

        // then
        assertThat(result.applied()).isTrue();
        assertThat(result.changes()).anyMatch(c -> c.startsWith("retry:")).anyMatch(c -> c.startsWith("rate-limit:"));
        assertThat(live.get().rateLimit().callsPerSecond()).isEqualTo(25.0);
        assertThat(live.get().policy().tier(1).delay()).isEqualTo(Duration.ofMinutes(2));
        assertThat(live.get().topics().tier(1)).isEqualTo("orders-retry-1m");
    }

    @Test
    void shouldRefuseATopologyChangeWholeAndKeepTheRunningSettings() throws IOException {
        // given
        LadderConfig initial = load(yaml("[{delay: 1m, attempts: 3}]", 0, "http://127.0.0.1:1/hook"));
        LiveSettings live = new LiveSettings(initial.toSettings());
        ConfigReloader reloader = new ConfigReloader(initial, live, null);

        // when a tier is added together with a rate limit change
        ConfigReloader.Result result = reloader.apply(
                load(yaml("[{delay: 1m, attempts: 3}, {delay: 5m, attempts: 1}]", 25, "http://127.0.0.1:1/hook")));

        // then nothing of it applies
        assertThat(result.applied()).isFalse();
        assertThat(result.refusal()).contains("restart");
        assertThat(live.get().rateLimit().callsPerSecond()).isZero();
        assertThat(reloader.current()).isSameAs(initial);
    }

    @Test
    void shouldSwapTheHttpHandlerWhenItsUrlChanges() throws Exception {
        // given a handler built from the configuration
        LadderConfig initial = load(yaml("[{delay: 1m, attempts: 3}]", 0, "http://127.0.0.1:1/old"));
        List<String> closed = new ArrayList<>();
        SwappableHandler handler = new SwappableHandler(new dev.ladder.handler.EventHandler() {
            @Override
            public Outcome handle(dev.ladder.handler.Event event) {
                return Outcome.success();
            }

            @Override
            public void close() {
                closed.add("old");
            }
        });
        ConfigReloader reloader = new ConfigReloader(initial, new LiveSettings(initial.toSettings()), handler);

        // when
        ConfigReloader.Result result =
                reloader.apply(load(yaml("[{delay: 1m, attempts: 3}]", 0, "http://127.0.0.1:1/new")));

        // then
        assertThat(result.applied()).isTrue();
        assertThat(result.changes()).anyMatch(c -> c.startsWith("handler:"));
        assertThat(reloader.current().handler().http().url()).endsWith("/new");
        handler.close();
    }

    @Test
    void shouldRefuseAHandlerChangeWhenTheApplicationSuppliedItsOwnButApplyItsTimeout() throws IOException {
        // given an application-supplied handler (nothing for Ladder to rebuild)
        LadderConfig initial = load(yaml("[{delay: 1m, attempts: 3}]", 0, "http://127.0.0.1:1/old"));
        LiveSettings live = new LiveSettings(initial.toSettings());
        ConfigReloader reloader = new ConfigReloader(initial, live, null);

        // when the URL changes, then it is refused as needing a restart
        ConfigReloader.Result url =
                reloader.apply(load(yaml("[{delay: 1m, attempts: 3}]", 0, "http://127.0.0.1:1/new")));
        assertThat(url.applied()).isFalse();
        assertThat(url.refusal()).contains("supplied by the application");

        // and when only the timeout changes, it applies live
        ConfigReloader.Result timeout =
                reloader.apply(load(yaml("[{delay: 1m, attempts: 3}]", 0, "http://127.0.0.1:1/old")
                        .replace("handler:\n", "handler:\n  timeout: 7s\n")));
        assertThat(timeout.applied()).isTrue();
        assertThat(live.get().handlerTimeout()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void shouldIgnoreAnInvalidNewVersionOfTheFile() throws IOException {
        // given a watcher over a valid file
        LadderConfig initial = load(yaml("[{delay: 1m, attempts: 3}]", 0, "http://127.0.0.1:1/hook"));
        LiveSettings live = new LiveSettings(initial.toSettings());
        ConfigReloader reloader = new ConfigReloader(initial, live, null);
        Path file = dir.resolve("ladder.yaml");
        try (ConfigWatcher watcher = new ConfigWatcher(file, Map.of(), Duration.ofHours(1), reloader::apply)) {
            // when the file gets an invalid rate limit, then a valid one
            Files.writeString(file, yaml("[{delay: 1m, attempts: 3}]", -5, "http://127.0.0.1:1/hook"));
            watcher.check();
            assertThat(live.get().rateLimit().callsPerSecond()).isZero();
            Files.writeString(file, yaml("[{delay: 1m, attempts: 3}]", 7, "http://127.0.0.1:1/hook"));
            watcher.check();

            // then only the valid version applied
            assertThat(live.get().rateLimit().callsPerSecond()).isEqualTo(7.0);
        }
    }
}
