package dev.ladder.config;

import static dev.ladder.config.ConfigFixture.MINIMAL;
import static dev.ladder.config.ConfigFixture.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.provider.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** References resolved by Kafka's config providers, as a Kafka client resolves them. */
class ConfigProvidersTest {

    @TempDir
    Path dir;

    @Test
    void shouldReadAKeyOfAPropertiesFileAsKafkaDoes() throws Exception {
        // given a properties file next to the config, named by a relative and by an absolute path
        Path creds = Files.writeString(dir.resolve("creds.properties"), "user=ladder\npassword=s3cr3t-props\n");
        String yaml = MINIMAL + "kafka:\n  sasl.username: '${file:creds.properties:user}'\n"
                + "  ssl.key.password: '${file:" + creds + ":password}'\n";

        // when
        LadderConfig config = load(dir, yaml);

        // then each reference is that key's value, and both are masked
        assertThat(config.kafka())
                .containsEntry("sasl.username", "ladder")
                .containsEntry("ssl.key.password", "s3cr3t-props");
        assertThat(config.describe()).doesNotContain("s3cr3t").contains("kafka.sasl.username = [redacted]");
    }

    @Test
    void shouldResolveAReferenceInsideALongerValue() {
        // when
        LadderConfig config = load(
                dir,
                MINIMAL + "    headers: {Authorization: 'Bearer ${env:PARTNER_TOKEN}'}\n",
                Map.of("PARTNER_TOKEN", "s3cr3t-token"));

        // then the reference is replaced where it stands, and the secret never shows
        assertThat(config.handler().http().headers()).containsEntry("Authorization", "Bearer s3cr3t-token");
        assertThat(config.describe()).doesNotContain("s3cr3t");
    }

    @Test
    void shouldReadAFileOfADirectoryAsIsAndAWholeFileWithoutItsLastNewline() throws Exception {
        // given a mounted secret directory
        Path secrets = Files.createDirectories(dir.resolve("secrets"));
        Files.writeString(secrets.resolve("token"), "s3cr3t-dir\n");
        String yaml = MINIMAL + "kafka:\n  a.token: '${dir:secrets:token}'\n  b.token: '${file:secrets/token}'\n";

        // when
        LadderConfig config = load(dir, yaml);

        // then dir is Kafka's DirectoryConfigProvider (content as is), file without a key Ladder's whole file
        assertThat(config.kafka()).containsEntry("a.token", "s3cr3t-dir\n").containsEntry("b.token", "s3cr3t-dir");
    }

    @Test
    void shouldUseAProviderConfiguredUnderKafkaAndKeepItsKeysFromTheClients() {
        // given a provider configured as in Kafka, with a parameter
        String yaml = MINIMAL + "kafka:\n"
                + "  config.providers: vault\n"
                + "  config.providers.vault.class: " + MapProvider.class.getName() + "\n"
                + "  config.providers.vault.param.prefix: s3cr3t-\n"
                + "  sasl.jaas.config: '${vault:secret/data/kafka:jaas}'\n";

        // when
        LadderConfig config = load(dir, yaml);

        // then the provider answered, and its settings are not passed on as client properties
        assertThat(config.kafka()).containsEntry("sasl.jaas.config", "s3cr3t-secret/data/kafka/jaas");
        assertThat(config.kafka().keySet()).noneMatch(k -> k.startsWith("config.providers"));
        assertThat(config.describe()).doesNotContain("s3cr3t");
    }

    @Test
    void shouldRefuseAnUnknownProviderNamingTheOnesThereAre() {
        assertThatThrownBy(() -> load(dir, MINIMAL + "kafka: {ssl.key.password: '${vualt:secret/kafka:pw}'}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(
                        "kafka.ssl.key.password refers to config provider 'vualt', which is not configured")
                .hasMessageContaining("env, file, dir");
    }

    @Test
    void shouldRefuseAMissingKeyOfAPropertiesFile() throws Exception {
        // given a properties file without the key asked for
        Files.writeString(dir.resolve("creds.properties"), "user=s3cr3t-user\n");

        // then
        assertThatThrownBy(
                        () -> load(dir, MINIMAL + "kafka: {ssl.key.password: '${file:creds.properties:password}'}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(
                        "kafka.ssl.key.password refers to key password of file creds.properties, which has no such key")
                .hasMessageNotContaining("s3cr3t");
    }

    @Test
    void shouldRefuseAMissingVariableAndAMissingProviderValue() {
        assertThatThrownBy(() -> load(dir, MINIMAL + "kafka: {client.id: 'ladder-${env:POD_NAME}'}\n"))
                .hasMessageContaining("kafka.client.id refers to environment variable POD_NAME, which is not set");
        String yaml = MINIMAL + "kafka:\n  config.providers: vault\n  config.providers.vault.class: "
                + MapProvider.class.getName() + "\n  sasl.jaas.config: '${vault:secret/kafka:absent}'\n";
        assertThatThrownBy(() -> load(dir, yaml))
                .hasMessageContaining("kafka.sasl.jaas.config refers to ${vault:secret/kafka:absent}, for which "
                        + "config provider 'vault' has no value");
    }

    @Test
    void shouldRefuseFilesOutsideTheAllowedDirectoriesInEveryForm() throws Exception {
        // given a config folder and a properties file and secret directory elsewhere, also reached by a link
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Path other = Files.createDirectories(dir.resolve("other"));
        Files.writeString(other.resolve("creds.properties"), "password=s3cr3t-far\n");
        Files.writeString(other.resolve("token"), "s3cr3t-far\n");
        Files.createSymbolicLink(conf.resolve("token"), other.resolve("token"));

        for (String reference : new String[] {
            "${file:" + other.resolve("creds.properties") + ":password}",
            "${file:../other/creds.properties:password}",
            "${dir:" + other + ":token}",
            "${dir:.:token}" // a link in an allowed folder to a file outside it
        }) {
            assertThatThrownBy(() -> load(conf, MINIMAL + "kafka: {ssl.key.password: '" + reference + "'}\n"))
                    .as(reference)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("kafka.ssl.key.password refers to file")
                    .hasMessageContaining("outside the directories secret files may be read from")
                    .hasMessageNotContaining("s3cr3t");
        }
    }

    @Test
    void shouldNameTheKeyOfAProviderClassThatCannotBeLoaded() {
        String yaml = MINIMAL + "kafka:\n  config.providers: vault\n"
                + "  config.providers.vault.class: com.example.NoSuchProvider\n";
        assertThatThrownBy(() -> load(dir, yaml))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kafka.config.providers.vault.class")
                .hasMessageContaining("com.example.NoSuchProvider");
    }

    /** A provider that answers {@code prefix + path + "/" + key} for any key but "absent". */
    public static final class MapProvider implements ConfigProvider {
        private String prefix = "";

        @Override
        public void configure(Map<String, ?> configs) {
            prefix = String.valueOf(configs.containsKey("prefix") ? configs.get("prefix") : "");
        }

        @Override
        public ConfigData get(String path) {
            return new ConfigData(Map.of());
        }

        @Override
        public ConfigData get(String path, Set<String> keys) {
            Map<String, String> data = new HashMap<>();
            keys.stream().filter(k -> !k.equals("absent")).forEach(k -> data.put(k, prefix + path + "/" + k));
            return new ConfigData(data);
        }

        @Override
        public void close() {}
    }
}
