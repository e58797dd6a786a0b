package dev.ladder.config;

import static dev.ladder.config.ConfigFixture.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthConfigTest {

    private static final String TOKEN = "0123456789abcdef-operator";
    private static final String BASE = "topics: {main: orders}\nhandler: {http: {url: 'http://receiver/hook'}}\n";

    @TempDir
    Path dir;

    @Test
    void shouldReadTokensFromSecretReferencesAndNeverShowThem() throws Exception {
        // given a read token from a file and an operator token from the environment
        Files.writeString(dir.resolve("read-token"), "0123456789abcdef-read\n");
        String yaml = """
                topics: {main: orders}
                handler: {http: {url: "http://receiver/hook"}}
                server:
                  auth:
                    tokens:
                      - {name: viewer, role: read, token: "${file:read-token}"}
                      - {name: oncall, role: operator, token: "${env:OPS_TOKEN}"}
                """;
        // when
        LadderConfig config = load(dir, yaml, Map.of("OPS_TOKEN", TOKEN));
        // then
        assertThat(config.server().auth().tokens())
                .extracting(AuthConfig.Token::name, AuthConfig.Token::role, AuthConfig.Token::token)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("viewer", AuthConfig.Role.READ, "0123456789abcdef-read"),
                        org.assertj.core.groups.Tuple.tuple("oncall", AuthConfig.Role.OPERATOR, TOKEN));
        assertThat(config.describe()).doesNotContain(TOKEN, "0123456789abcdef-read");
        assertThat(config.toString()).doesNotContain(TOKEN);
    }

    @Test
    void shouldHaveNoTokensByDefault() {
        assertThat(load(dir, BASE, Map.of()).server().auth().tokens()).isEmpty();
    }

    @Test
    void shouldRefuseATokenWrittenIntoTheFile() {
        String yaml = BASE + "server: {auth: {tokens: [{name: a, role: operator, token: " + TOKEN + "}]}}\n";
        assertThatThrownBy(() -> load(dir, yaml, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("server.auth.tokens[0].token")
                .hasMessageContaining("secret reference")
                .hasMessageNotContaining(TOKEN);
    }

    @Test
    void shouldRefuseShortTokensMissingRolesAndDuplicateNames() {
        String shortToken = BASE + "server: {auth: {tokens: [{name: a, role: read, token: '${env:T}'}]}}\n";
        assertThatThrownBy(() -> load(dir, shortToken, Map.of("T", "short")))
                .hasMessageContaining("server.auth.tokens[0].token")
                .hasMessageContaining("at least 16");
        String noRole = BASE + "server: {auth: {tokens: [{name: a, token: '${env:T}'}]}}\n";
        assertThatThrownBy(() -> load(dir, noRole, Map.of("T", TOKEN)))
                .hasMessageContaining("server.auth.tokens[0].role")
                .hasMessageContaining("read or operator");
        String twice = BASE + "server: {auth: {tokens: [{name: a, role: read, token: '${env:T}'},"
                + " {name: a, role: operator, token: '${env:U}'}]}}\n";
        assertThatThrownBy(() -> load(dir, twice, Map.of("T", TOKEN, "U", TOKEN + "-2")))
                .hasMessageContaining("server.auth.tokens[1].name");
    }

    @Test
    void shouldRefuseAnUnknownRole() {
        String yaml = BASE + "server: {auth: {tokens: [{name: a, role: admin, token: '${env:T}'}]}}\n";
        assertThatThrownBy(() -> load(dir, yaml, Map.of("T", TOKEN)))
                .hasMessageContaining("server.auth.tokens[0].role");
    }
}
