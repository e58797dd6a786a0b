package dev.ladder.config;

import static dev.ladder.config.ConfigFixture.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretsTest {

    @TempDir
    Path dir;

    @Test
    void shouldResolveSecretReferencesAndNeverShowThem() throws Exception {
        // given
        Path jaas =
                Files.writeString(dir.resolve("jaas.conf"), "PlainLoginModule required password=\"s3cr3t-jaas\";\n");
        String yaml = "topics: {main: orders}\n"
                + "handler:\n  settings: {api-key: s3cr3t-setting, region: eu}\n"
                + "  http:\n    url: https://user:s3cr3t-url@partner.example/hook\n"
                + "    headers: {Content-Type: application/json, Authorization: '${env:PARTNER_TOKEN}', X-Auth-Token: s3cr3t-token}\n"
                + "kafka:\n  security.protocol: SASL_SSL\n  sasl.jaas.config: '${file:" + jaas
                + "}'\n  ssl.key.password: s3cr3t-key\n";
        // when
        LadderConfig config = load(dir, yaml, Map.of("PARTNER_TOKEN", "Bearer s3cr3t-env"));
        // then
        assertThat(config.handler().http().headers()).containsEntry("Authorization", "Bearer s3cr3t-env");
        assertThat(config.kafka())
                .containsEntry("sasl.jaas.config", "PlainLoginModule required password=\"s3cr3t-jaas\";");
        for (String shown : new String[] {
            config.describe(),
            config.toString(),
            config.handler().toString(),
            config.handler().http().toString()
        }) {
            assertThat(shown).doesNotContain("s3cr3t").contains("[redacted]");
        }
        assertThat(config.describe())
                .contains(
                        "kafka.security.protocol = SASL_SSL",
                        "handler.http.headers.Content-Type = application/json",
                        "kafka.sasl.jaas.config = [redacted]",
                        "handler.http.headers.Authorization = [redacted]",
                        "handler.settings.region = eu");
    }

    @Test
    void shouldNameTheKeyOfAMissingSecret() {
        assertThatThrownBy(() -> load(dir, "topics: {main: orders}\nkafka: {sasl.jaas.config: '${env:JAAS}'}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka.sasl.jaas.config refers to environment variable JAAS, which is not set");
        assertThatThrownBy(() ->
                        load(dir, "topics: {main: orders}\nkafka: {ssl.key.password: '${file:/nonexistent/pw}'}\n"))
                .hasMessageContaining("kafka.ssl.key.password refers to file /nonexistent/pw, which cannot be read");
    }

    @Test
    void shouldNotEchoASecretInATypeError() {
        assertThatThrownBy(() ->
                        load(dir, "topics: {main: orders}\nserver: {port: '${env:PORT}'}\n", Map.of("PORT", "s3cr3t")))
                .hasMessageContaining("server.port is '[redacted]'")
                .hasMessageNotContaining("s3cr3t");
    }

    @Test
    void shouldRedactSecretKafkaPropertiesButNotSerdeNames() {
        assertThat(Redaction.isSecretProperty("ssl.key.password")).isTrue();
        assertThat(Redaction.isSecretProperty("basic.auth.user.info")).isTrue();
        assertThat(Redaction.isSecretProperty("sasl.oauthbearer.token.endpoint.url"))
                .isTrue();
        assertThat(Redaction.isSecretProperty("ssl.keystore.key")).isTrue();
        assertThat(Redaction.isSecretProperty("default.key.serde")).isFalse();
        assertThat(Redaction.isSecretHeader("Cookie")).isTrue();
        assertThat(Redaction.isSecretHeader("Content-Type")).isFalse();
    }
}
