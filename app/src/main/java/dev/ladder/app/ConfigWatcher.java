package dev.ladder.app;

import dev.ladder.config.ConfigException;
import dev.ladder.config.LadderConfig;
import dev.ladder.config.LadderConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the configuration file and hands each new valid version to a consumer. It compares the
 * file's bytes every interval rather than relying on file-system events, because a Kubernetes
 * ConfigMap update swaps a symlink, which watch services report unreliably. An invalid new version
 * is logged and ignored: the old settings keep working.
 */
final class ConfigWatcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConfigWatcher.class);

    private final Path file;
    private final Map<String, String> env;
    private final Consumer<LadderConfig> onChange;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ladder-config-watch");
        t.setDaemon(true);
        return t;
    });
    private byte[] last;

    ConfigWatcher(Path file, Map<String, String> env, Duration interval, Consumer<LadderConfig> onChange) {
        this.file = file;
        this.env = env;
        this.onChange = onChange;
        this.last = read();
        timer.scheduleWithFixedDelay(this::check, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Looks at the file once; public to the package so tests need not wait for the timer. */
    void check() {
        byte[] now = read();
        if (now == null || Arrays.equals(now, last)) {
            return;
        }
        last = now;
        try {
            LadderConfig next = LadderConfigLoader.load(file, env);
            onChange.accept(next);
        } catch (ConfigException e) {
            log.warn("new version of {} is invalid, the running settings stay: {}", file, e.getMessage());
        } catch (RuntimeException e) {
            log.warn("cannot apply the new version of {}, the running settings stay", file, e);
        }
    }

    private byte[] read() {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            log.warn("cannot read {}: {}", file, e.getMessage());
            return null;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
