package dev.ladder.config;

/**
 * The {@code server:} section: the HTTP server for health and metrics.
 *
 * @param port TCP port of the health ({@code /health/live}, {@code /health/ready}) and Prometheus
 *     metrics endpoints, 0 to 65535 (0 picks a free port); default 8080
 */
public record ServerConfig(Integer port) {

    public ServerConfig {
        port = port == null ? 8080 : port;
    }
}
