package dev.ladder.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ladder.policy.LadderSettings;
import dev.ladder.text.Redaction;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code handler:} section: the processing step that Ladder retries.
 *
 * @param type {@code http} (the built-in HTTP handler) or {@code class} (your own); default http
 * @param className for {@code type: class}, the fully qualified name of a class implementing
 *     {@code dev.ladder.handler.EventHandler} with a public no-argument constructor (key
 *     {@code class})
 * @param timeout the longest one handler call may take; a timeout is a transient failure;
 *     default {@link LadderSettings#DEFAULT_HANDLER_TIMEOUT} (30s)
 * @param settings free-form map passed to {@code EventHandler.configure}; secret-looking entries
 *     never appear in {@link #toString()}
 * @param http settings of the built-in HTTP handler
 * @param maxCheckpointBytes the largest stage checkpoint a handler may save, 0 to
 *     {@link LadderSettings#MAX_CHECKPOINT_BYTES}; default
 *     {@link LadderSettings#DEFAULT_MAX_CHECKPOINT_BYTES} (16384)
 * @param concurrency the most handler calls in flight per stream thread (at most one per key
 *     under per-key ordering), 1 to {@link LadderSettings#MAX_CONCURRENCY}; default
 *     {@link LadderSettings#DEFAULT_CONCURRENCY} (64)
 */
public record HandlerConfig(
        Type type,
        @JsonProperty("class") String className,
        Duration timeout,
        Map<String, Object> settings,
        HttpConfig http,
        Integer maxCheckpointBytes,
        Integer concurrency) {

    /** Handler kinds. */
    public enum Type {
        /** The built-in HTTP handler. */
        @JsonProperty("http")
        HTTP,
        /** A class implementing the EventHandler SPI. */
        @JsonProperty("class")
        CLASS
    }

    public HandlerConfig {
        type = type == null ? Type.HTTP : type;
        timeout = timeout == null ? LadderSettings.DEFAULT_HANDLER_TIMEOUT : timeout;
        settings = settings == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        http = http == null ? new HttpConfig(null, null, null, null, null) : http;
        maxCheckpointBytes =
                maxCheckpointBytes == null ? LadderSettings.DEFAULT_MAX_CHECKPOINT_BYTES : maxCheckpointBytes;
        concurrency = concurrency == null ? LadderSettings.DEFAULT_CONCURRENCY : concurrency;
    }

    /** An all-defaults section. */
    static HandlerConfig defaults() {
        return new HandlerConfig(null, null, null, null, null, null, null);
    }

    @Override
    public String toString() {
        return "HandlerConfig[type=" + type + ", className=" + className + ", timeout=" + timeout
                + ", settings=" + Redaction.properties(settings) + ", http=" + http
                + ", maxCheckpointBytes=" + maxCheckpointBytes + ", concurrency=" + concurrency + "]";
    }
}
