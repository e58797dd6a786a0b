package dev.ladder.config;

/**
 * The {@code server:} section: the ops HTTP server (health, metrics, operator endpoints, console).
 *
 * @param port TCP port of the health ({@code /health/live}, {@code /health/ready}), Prometheus
 *     metrics, operator endpoints and console, 0 to 65535 (0 picks a free port); default 8080
 * @param auth the bearer tokens the operator endpoints and console accept; default none (they
 *     answer 401)
 */
public record ServerConfig(Integer port, AuthConfig auth) {

    public ServerConfig {
        port = port == null ? 8080 : port;
        auth = auth == null ? AuthConfig.none() : auth;
    }
}
