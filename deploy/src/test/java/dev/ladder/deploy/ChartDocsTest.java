package dev.ladder.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every value of values.yaml is documented in the chart README and known to the schema. */
class ChartDocsTest {

    /** Maps whose content is free-form or Kubernetes' own; documented as a whole. */
    private static final Set<String> OPAQUE =
            Set.of("config", "resources", "podSecurityContext", "securityContext", "persistence.retentionPolicy");

    @Test
    void shouldDocumentEveryValueInTheReadme() throws IOException {
        String readme = Files.readString(Project.CHART.resolve("README.md"));
        List<String> keys = leaves(Yaml.read(Project.CHART.resolve("values.yaml")), "");

        assertThat(keys).hasSizeGreaterThan(40);
        assertThat(keys).allSatisfy(key -> assertThat(readme).contains("| `" + key + "` |"));
    }

    @Test
    void shouldDeclareEveryTopLevelValueInTheSchema() {
        JsonNode schema = Yaml.read(Project.CHART.resolve("values.schema.json"));
        JsonNode values = Yaml.read(Project.CHART.resolve("values.yaml"));

        values.fieldNames()
                .forEachRemaining(key ->
                        assertThat(schema.at("/properties").has(key)).as(key).isTrue());
    }

    private static List<String> leaves(JsonNode node, String path) {
        List<String> keys = new ArrayList<>();
        if (node.isObject() && node.size() > 0 && !OPAQUE.contains(path)) {
            node.fields()
                    .forEachRemaining(f ->
                            keys.addAll(leaves(f.getValue(), path.isEmpty() ? f.getKey() : path + "." + f.getKey())));
        } else {
            keys.add(path);
        }
        return keys;
    }
}
