package dev.ladder.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ladder.policy.InvalidPolicyException;
import dev.ladder.text.Secrets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code server.auth:} section: who may call the ops port's operator endpoints and console.
 * Health ({@code /health/*}) and {@code /metrics} stay open; everything else needs
 * {@code Authorization: Bearer <token>} with one of these tokens. With no token configured the
 * protected endpoints answer 401: there is no open-by-default operator API.
 *
 * @param tokens the accepted bearer tokens, each with a name (shown in the audit log) and a role;
 *     default none
 */
public record AuthConfig(List<Token> tokens) {

    /** The shortest token accepted: anything shorter can be guessed. */
    public static final int MIN_TOKEN_LENGTH = 16;

    /** What a caller may do. */
    public enum Role {
        /** Read-only: GET requests (console, dead letters, events, blocked keys, dry runs). */
        @JsonProperty("read")
        READ,
        /** Everything READ may, plus state-changing requests: replay and key release. */
        @JsonProperty("operator")
        OPERATOR
    }

    /**
     * One accepted bearer token.
     *
     * @param name who holds it, e.g. {@code oncall}; shown in the audit log, never the token; required
     * @param role {@code read} or {@code operator}; required
     * @param token the token itself, as a secret reference ({@code ${file:…}} or {@code ${env:…}}) so
     *     the file never holds it; at least {@value AuthConfig#MIN_TOKEN_LENGTH} characters; required
     */
    public record Token(String name, Role role, String token) {

        @Override
        public String toString() {
            return "Token[name=" + name + ", role=" + role + "]";
        }
    }

    public AuthConfig {
        tokens = tokens == null ? List.of() : List.copyOf(tokens);
    }

    /** No tokens: the protected endpoints answer 401. */
    public static AuthConfig none() {
        return new AuthConfig(null);
    }

    /**
     * What is wrong with the tokens: each needs a name, a role, a value that came from a secret
     * reference and is long enough; names and values are unique. Every problem is listed.
     *
     * @param secrets the values that came from secret references
     */
    List<InvalidPolicyException> problems(Secrets secrets) {
        List<InvalidPolicyException> problems = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> values = new HashSet<>();
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            String key = "server.auth.tokens[" + i + "]";
            if (t == null || t.name() == null || t.name().isBlank()) {
                problems.add(new ConfigException(key + ".name", "is missing", "who holds the token, e.g. oncall"));
            } else if (!names.add(t.name())) {
                problems.add(new ConfigException(key + ".name", "is '" + t.name() + "' twice", "a name per token"));
            }
            if (t != null && t.role() == null) {
                problems.add(new ConfigException(key + ".role", "is missing", "read or operator"));
            }
            if (t == null || t.token() == null || t.token().isBlank()) {
                problems.add(new ConfigException(
                        key + ".token", "is missing", "a secret reference such as ${file:/var/run/secrets/ops/token}"));
                continue;
            }
            if (!secrets.values().contains(t.token().trim())) {
                // the value is not repeated: it is a credential written into the file
                problems.add(new ConfigException(
                        key + ".token",
                        "is written into the file",
                        "a secret reference, ${file:/path} or ${env:NAME}, so the file never holds a credential"));
            } else if (t.token().length() < MIN_TOKEN_LENGTH) {
                problems.add(new ConfigException(
                        key + ".token",
                        "is " + t.token().length() + " characters long",
                        "at least " + MIN_TOKEN_LENGTH + " random characters, e.g. from `openssl rand -hex 32`"));
            } else if (!values.add(t.token())) {
                problems.add(new ConfigException(key + ".token", "is the same as another token's", "a token per name"));
            }
        }
        return problems;
    }
}
