package dev.ladder.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.config.LadderConfig;
import dev.ladder.config.LadderConfigLoader;
import dev.ladder.handler.Outcome;
import dev.ladder.policy.LiveSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live configuration changes: applied when they need no restart; otherwise never in part, but a
 * restart now (exit) or a reported pending restart (log); and an invalid version changes nothing.
 */
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

        // then nothing of it applies, and by default the app is to stop for a restart
        assertThat(result.applied()).isFalse();
        assertThat(result.status()).isEqualTo(ConfigReloader.Status.RESTART_NOW);
        assertThat(result.refusal()).contains("restart").contains("retry.tiers (count)");
        assertThat(live.get().rateLimit().callsPerSecond()).isZero();
        assertThat(reloader.current()).isSameAs(initial);
        assertThat(reloader.pendingRestart()).isEmpty();
    }

    @Test
    void shouldStopForARestartWhenASettingReadOnceAtStartChanges() throws IOException {
        // given
        String base = yaml("[{delay: 1m, attempts: 3}]", 0, "http://127.0.0.1:1/hook");
        LadderConfig initial = load(base);
        ConfigReloader reloader = new ConfigReloader(initial, new LiveSettings(initial.toSettings()), null);

        // when a Kafka property changes, and then the reload interval
        ConfigReloader.Result kafka = reloader.apply(load(base + "kafka: {num.stream.threads: '2'}\n"));
        ConfigReloader.Result interval = reloader.apply(load(base + "reload-interval: 1m\n"));

        // then each needs a restart, named by key only (a kafka entry may be a secret)
        assertThat(kafka.status()).isEqualTo(ConfigReloader.Status.RESTART_NOW);
        assertThat(kafka.reason()).endsWith("these settings need a restart: kafka");
        assertThat(interval.status()).isEqualTo(ConfigReloader.Status.RESTART_NOW);
        assertThat(interval.reason()).contains("reload-interval");
    }

    @Test
    void shouldKeepTheRunningSettingsAndReportAPendingRestartUnderLog() throws IOException {
        // given reload-restart-required: log
        String base =
                yaml("[{delay: 1m, attempts: 3}]", 0, "http://127.0.0.1:1/hook") + "reload-restart-required: log\n";
        LadderConfig initial = load(base);
        LiveSettings live = new LiveSettings(initial.toSettings());
        ConfigReloader reloader = new ConfigReloader(initial, live, null);

        // when the main topic changes along with the rate limit
        ConfigReloader.Result result = reloader.apply(load(base.replace("main: orders", "main: payments")
                .replace("calls-per-second: 0.0", "calls-per-second: 9")));

        // then nothing applies, and the restart is reported until a version applies
        assertThat(result.status()).isEqualTo(ConfigReloader.Status.RESTART_PENDING);
        assertThat(reloader.pendingRestart()).get().asString().contains("topics");
        assertThat(live.get().rateLimit().callsPerSecond()).isZero();
        assertThat(reloader.current()).isSameAs(initial);

        // when the file is put back
        ConfigReloader.Result reverted = reloader.apply(load(base));

        // then nothing is pending any more
        assertThat(reverted.status()).isEqualTo(ConfigReloader.Status.APPLIED);
        assertThat(reloader.pendingRestart()).isEmpty();
    }

    @Test
    void shouldDecideByTheNewVersionsRestartPolicy() throws IOException {
        // given the default (exit)
        String base = yaml("[{delay: 1m, attempts: 3}]", 0, "http://127.0.0.1:1/hook");
        LadderConfig initial = load(base);
        ConfigReloader reloader = new ConfigReloader(initial, new LiveSettings(initial.toSettings()), null);

        // when the same file says log and adds a tier, then the new word counts
        ConfigReloader.Result logged =
                reloader.apply(load(yaml("[{delay: 1m, attempts: 3}, {delay: 5m}]", 0, "http://127.0.0.1:1/hook")
                        + "reload-restart-required: log\n"));
        assertThat(logged.status()).isEqualTo(ConfigReloader.Status.RESTART_PENDING);

        // and a change of the policy alone applies live
        ConfigReloader.Result policy = reloader.apply(load(base + "reload-restart-required: log\n"));
        assertThat(policy.status()).isEqualTo(ConfigReloader.Status.APPLIED);
        assertThat(policy.changes()).containsExactly("reload-restart-required: exit -> log");
    }

    @Test
    void shouldNotStopForAVersionThatCouldNotStart() throws IOException {
        // given
        LadderConfig initial = load(yaml("[{delay: 1m, attempts: 3}]", 0, "http://127.0.0.1:1/hook"));
        LiveSettings live = new LiveSettings(initial.toSettings());
        ConfigReloader reloader = new ConfigReloader(initial, live, null);

        // when bootstrap-servers disappears (a restart-only key, and `run` refuses to start without it)
        ConfigReloader.Result result =
                reloader.apply(load(yaml("[{delay: 1m, attempts: 3}]", 0, "http://127.0.0.1:1/hook")
                        .replace("bootstrap-servers: localhost:9092\n", "")));

        // then it is invalid: no restart into a crash loop, the running settings stay
        assertThat(result.status()).isEqualTo(ConfigReloader.Status.INVALID);
        assertThat(result.reason()).contains("could not start").contains("bootstrap-servers");
        assertThat(reloader.current()).isSameAs(initial);
    }

    @Test
    void shouldNotStopForAHandlerClassThatCannotBeLoaded() throws IOException {
        // given a handler built from the file
        LadderConfig initial = load(yaml("[{delay: 1m, attempts: 3}]", 0, "http://127.0.0.1:1/hook"));
        SwappableHandler handler = new SwappableHandler(LadderApp.createHandler(initial));
        ConfigReloader reloader = new ConfigReloader(initial, new LiveSettings(initial.toSettings()), handler);

        // when handler.type turns to a class that does not exist
        ConfigReloader.Result result =
                reloader.apply(load(yaml("[{delay: 1m, attempts: 3}]", 0, "http://127.0.0.1:1/hook")
                        .replace("handler:\n", "handler:\n  type: class\n  class: com.example.Missing\n")));

        // then it is invalid, not a restart
        assertThat(result.status()).isEqualTo(ConfigReloader.Status.INVALID);
        assertThat(result.reason()).contains("com.example.Missing");
        handler.close();
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
    void shouldNotLogReferencedSecretsWhenTheHandlerChanges() throws Exception {
        // given a header from the environment under a harmless name, and a URL with a signature
        String file = """
                bootstrap-servers: localhost:9092
                topics: {main: orders}
                handler:
                  http:
                    url: "http://127.0.0.1:1/old?sig=s3cr3t-sig"
                    headers: {X-Partner: '${env:PARTNER_ID}'}
                """;
        Path path = dir.resolve("ladder.yaml");
        Files.writeString(path, file);
        LadderConfig initial = LadderConfigLoader.load(path, Map.of("PARTNER_ID", "s3cr3t-old"));
        SwappableHandler handler = new SwappableHandler(LadderApp.createHandler(initial));
        ConfigReloader reloader = new ConfigReloader(initial, new LiveSettings(initial.toSettings()), handler);

        // when the partner id rotates
        ConfigReloader.Result result =
                reloader.apply(LadderConfigLoader.load(path, Map.of("PARTNER_ID", "s3cr3t-new")));

        // then the change is applied and reported without either value
        assertThat(result.applied()).isTrue();
        assertThat(result.changes()).anyMatch(c -> c.startsWith("handler:")).noneMatch(c -> c.contains("s3cr3t"));
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
