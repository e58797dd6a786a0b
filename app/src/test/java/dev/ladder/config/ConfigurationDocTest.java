package dev.ladder.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Keeps docs/configuration.md, config/ladder.example.yaml and the config model from drifting. */
class ConfigurationDocTest {

    private static final Pattern KEY_ROW = Pattern.compile("^\\|\\s*`([^`]+)`\\s*\\|");

    @Test
    void shouldDocumentExactlyTheKeysTheModelHas() throws Exception {
        // given
        Set<String> documented = documentedKeys(Files.readString(ConfigFixture.repoFile("docs/configuration.md")));
        Set<String> model = new LinkedHashSet<>();
        ConfigSchema.keys().forEach(key -> model.add(key.path()));
        // then: every key of the model is documented, and the doc has no key the model lacks
        assertThat(documented).as("keys in docs/configuration.md").containsExactlyInAnyOrderElementsOf(model);
    }

    @Test
    void shouldFindNestedAndListKeysInTheModel() {
        assertThat(ConfigSchema.keys())
                .extracting(ConfigSchema.Key::path)
                .contains(
                        "application-id",
                        "topics.naming.dead-letter",
                        "retry.tiers[].attempts",
                        "handler.class",
                        "kafka");
    }

    @Test
    void shouldLoadTheExampleFile() {
        // when
        LadderConfig config = LadderConfigLoader.load(
                ConfigFixture.repoFile("config/ladder.example.yaml"),
                Map.of(
                        "PARTNER_TOKEN",
                        "Bearer t",
                        "SASL_JAAS_CONFIG",
                        "jaas",
                        "OPS_OPERATOR_TOKEN",
                        "0123456789abcdef0123"));
        // then
        assertThat(config.topics().main()).isEqualTo("orders");
        assertThat(config.toSettings().policy().tiers()).hasSize(3);
        assertThat(config.streamsProperties()).containsEntry("sasl.jaas.config", "jaas");
    }

    @Test
    void shouldSetEveryKeyInTheExampleFile() throws Exception {
        // a key the example leaves out is a key a reader of the example never learns about
        String example = Files.readString(ConfigFixture.repoFile("config/ladder.example.yaml"));
        Set<String> present = YamlLocations.lines(example).keySet();
        for (ConfigSchema.Key key : ConfigSchema.keys()) {
            String path = key.path().replace("[]", "[0]");
            assertThat(present).as("example sets " + key.path()).contains(path);
        }
    }

    /** First backticked column of every table row between the keys markers. */
    static Set<String> documentedKeys(String markdown) {
        int start = markdown.indexOf("<!-- keys:start -->");
        int end = markdown.indexOf("<!-- keys:end -->");
        assertThat(start).as("keys:start marker").isNotNegative();
        assertThat(end).as("keys:end marker").isGreaterThan(start);
        Set<String> keys = new LinkedHashSet<>();
        for (String line : List.of(markdown.substring(start, end).split("\n"))) {
            Matcher m = KEY_ROW.matcher(line);
            if (m.find()) {
                assertThat(keys.add(m.group(1)))
                        .as("documented once: " + m.group(1))
                        .isTrue();
            }
        }
        return keys;
    }
}
