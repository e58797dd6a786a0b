package dev.ladder.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ladder.text.Durations;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The published docs/ladder.schema.json is exactly what the model generates. After changing a
 * config record or the keys table of docs/configuration.md, regenerate it with
 * {@code mvn -pl app -am test -Dtest=ConfigJsonSchemaTest -Dladder.schema.write=true}.
 */
class ConfigJsonSchemaTest {

    @Test
    void shouldPublishTheSchemaTheModelGenerates() throws Exception {
        // given
        Path published = ConfigFixture.repoFile(ConfigJsonSchema.FILE);
        String generated = ConfigJsonSchema.generate(
                ConfigJsonSchema.descriptions(Files.readString(ConfigFixture.repoFile("docs/configuration.md"))));
        if (Boolean.getBoolean("ladder.schema.write")) {
            Files.writeString(published, generated);
        }

        // then
        assertThat(Files.readString(published))
                .as(ConfigJsonSchema.FILE + " is stale: regenerate it with -Dladder.schema.write=true"
                        + " (see ConfigJsonSchemaTest)")
                .isEqualTo(generated);
    }

    @Test
    void shouldDescribeEveryKeyOfTheModelWithItsTypeAndDocumentation() throws Exception {
        // given
        JsonNode schema = new ObjectMapper()
                .readTree(ConfigJsonSchema.generate(ConfigJsonSchema.descriptions(
                        Files.readString(ConfigFixture.repoFile("docs/configuration.md")))));

        // then every key of the model is a property with a description, and nothing else is
        for (ConfigSchema.Key key : ConfigSchema.keys()) {
            JsonNode property = property(schema, key.path());
            assertThat(property.isMissingNode()).as(key.path()).isFalse();
            assertThat(property.path("description").asText()).as(key.path()).contains("Default:");
        }
        assertThat(schema.path("additionalProperties").asBoolean(true)).isFalse();
        assertThat(property(schema, "retry.backoff")
                        .path("additionalProperties")
                        .asBoolean(true))
                .isFalse();
        assertThat(property(schema, "ordering.mode").path("enum").toString()).isEqualTo("[\"per-key\",\"none\"]");
        assertThat(property(schema, "processing-guarantee").path("enum").toString())
                .isEqualTo("[\"exactly_once_v2\",\"at_least_once\"]");
        assertThat(property(schema, "punctuation-interval").path("pattern").asText())
                .isNotEmpty();
        assertThat(property(schema, "retry.tiers[].attempts").path("anyOf").toString())
                .contains("\"const\":\"unlimited\"");
        assertThat(property(schema, "handler.class").path("type").asText()).isEqualTo("string");
        assertThat(property(schema, "server.port").path("type").asText()).isEqualTo("integer");
    }

    @Test
    void shouldMatchDurationsAsDurationsParsesThem() throws Exception {
        JsonNode schema = new ObjectMapper().readTree(ConfigJsonSchema.generate(java.util.Map.of()));
        String pattern =
                property(schema, "punctuation-interval").path("pattern").asText();

        for (String ok : new String[] {"500ms", "30s", "5m", "2h", "7d", "PT30S", "P7D"}) {
            assertThat(ok).matches(pattern.replace("^", "").replace("$", ""));
            Durations.parse(ok);
        }
        assertThat("30").doesNotMatch(pattern.replace("^", "").replace("$", ""));
        assertThat("soon").doesNotMatch(pattern.replace("^", "").replace("$", ""));
    }

    /** The schema of a key path such as {@code retry.tiers[].delay}. */
    private static JsonNode property(JsonNode schema, String path) {
        JsonNode node = schema;
        for (String part : path.split("\\.")) {
            boolean list = part.endsWith("[]");
            node = node.path("properties").path(list ? part.substring(0, part.length() - 2) : part);
            if (list) {
                node = node.path("items");
            }
        }
        return node;
    }
}
