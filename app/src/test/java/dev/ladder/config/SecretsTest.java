package dev.ladder.config;

import static dev.ladder.config.ConfigFixture.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladder.text.Redaction;
import dev.ladder.text.Secrets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    void shouldRedactEveryReferencedValueWhateverItsKeyIsCalled() {
        // given references under names that do not look secret
        String yaml = "topics: {main: orders}\n"
                + "handler:\n  settings: {region: '${env:REGION}'}\n"
                + "  http:\n    url: https://partner.example/hook\n"
                + "    headers: {X-Partner: '${env:PARTNER_ID}'}\n"
                + "kafka:\n  client.id: '${env:CLIENT}'\n";
        // when
        LadderConfig config = load(
                dir, yaml, Map.of("REGION", "eu-s3cr3t-1", "PARTNER_ID", "acme-s3cr3t", "CLIENT", "s3cr3t-client"));
        // then every dump of it hides them, and the values themselves are untouched
        assertThat(config.kafka()).containsEntry("client.id", "s3cr3t-client");
        assertThat(config.describe())
                .doesNotContain("s3cr3t")
                .contains(
                        "handler.settings.region = [redacted]",
                        "handler.http.headers.X-Partner = [redacted]",
                        "kafka.client.id = [redacted]");
        assertThat(config.toString()).doesNotContain("s3cr3t");
        assertThat(config.redact("partner acme-s3cr3t, client S3CR3T-CLIENT"))
                .isEqualTo("partner [redacted], client [redacted]");
    }

    @Test
    void shouldMaskCredentialsInUrlQueryStrings() {
        // given a URL that carries an OAuth code and a signature, and a registry URL with a token
        String yaml = "topics: {main: orders}\nhandler:\n  http:\n"
                + "    url: https://partner.example/hook?code=s3cr3t-code&sig=s3cr3t-sig&v=2\n"
                + "kafka:\n  schema.registry.url: https://reg.example/api?access_token=s3cr3t-tok\n";
        // when
        LadderConfig config = load(dir, yaml);
        // then
        assertThat(config.describe())
                .doesNotContain("s3cr3t")
                .contains("handler.http.url = https://partner.example/hook?code=[redacted]&sig=[redacted]&v=[redacted]")
                .contains("kafka.schema.registry.url = https://reg.example/api?access_token=[redacted]");
        assertThat(config.handler().http().toString()).doesNotContain("s3cr3t");
    }

    @Test
    void shouldNotEchoAReferencedValueInAValidationError() {
        // the method is upper-cased before it is checked: the error must not show it in any case
        assertThatThrownBy(() -> load(
                        dir,
                        ConfigFixture.MINIMAL + "    method: '${env:METHOD}'\n",
                        Map.of("METHOD", "s3cr3t-method")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("handler.http.method is '[redacted]'")
                .satisfies(e -> assertThat(e.getMessage().toLowerCase(java.util.Locale.ROOT))
                        .doesNotContain("s3cr3t"));
    }

    @Test
    void shouldReadSecretFilesOnlyUnderTheAllowedDirectories() throws Exception {
        // given a secret next to the config file and one elsewhere, reached directly, by '..' and by a link
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Path other = Files.createDirectories(dir.resolve("other"));
        Files.writeString(conf.resolve("token"), "s3cr3t-near\n");
        Path far = Files.writeString(other.resolve("token"), "s3cr3t-far\n");
        Files.createSymbolicLink(conf.resolve("link"), far);
        String ref = ConfigFixture.MINIMAL + "kafka: {sasl.jaas.config: '${file:%s}'}\n";

        // then the config's own folder is allowed (also by a relative path), other places are not
        assertThat(load(conf, ref.formatted(conf.resolve("token"))).kafka())
                .containsEntry("sasl.jaas.config", "s3cr3t-near");
        assertThat(load(conf, ref.formatted("token")).kafka()).containsEntry("sasl.jaas.config", "s3cr3t-near");
        for (String outside : new String[] {
            far.toString(),
            conf.resolve("../other/token").toString(),
            conf.resolve("link").toString(),
            "/etc/passwd"
        }) {
            assertThatThrownBy(() -> load(conf, ref.formatted(outside)))
                    .as(outside)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("kafka.sasl.jaas.config refers to file " + outside)
                    .hasMessageContaining("outside the directories secret files may be read from")
                    .hasMessageContaining("secret-file-dirs")
                    .hasMessageNotContaining("s3cr3t");
        }
        // and secret-file-dirs allows another directory
        String allowed = "secret-file-dirs: ['" + other + "']\n" + ref.formatted(far);
        assertThat(load(conf, allowed).kafka()).containsEntry("sasl.jaas.config", "s3cr3t-far");
        assertThat(load(conf, allowed).secretFileDirs()).containsExactly(other.toString());
    }

    @Test
    void shouldMaskASecretByTheRecognisablePartsAnEchoShows() {
        // given a Basic credential and a webhook URL whose secret is its path
        String basic = "Basic " + java.util.Base64.getEncoder().encodeToString("svc-user:pa55-word-x".getBytes());
        Secrets secrets = Secrets.of(List.of(basic, "https://hooks.example/services/T0/B0/XyZ123?k=v1v1v1"));
        // then the decoded pair, the password alone, the URL-encoded form and the path are masked
        assertThat(secrets.scrub("login svc-user:pa55-word-x")).isEqualTo("login [redacted]");
        assertThat(secrets.scrub("bad password PA55-WORD-X")).isEqualTo("bad password [redacted]");
        assertThat(secrets.scrub("got " + java.net.URLEncoder.encode(basic, java.nio.charset.StandardCharsets.UTF_8)))
                .isEqualTo("got [redacted]");
        assertThat(secrets.scrub("POST https://hooks.example/services/T0/B0/XyZ123 failed"))
                .isEqualTo("POST https://hooks.example[redacted] failed");
        assertThat(secrets.scrubCut("echo: k=v1v1…")).isEqualTo("echo: k=[redacted]…");
        assertThat(Redaction.url("see http://u:p@a.example/x?token=abc&flag then https://b.example/y#frag"))
                .isEqualTo(
                        "see http://[redacted]@a.example/x?token=[redacted]&[redacted] then https://b.example/y#[redacted]");
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
