package dev.ladder.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON Schema of {@code ladder.yaml}, derived from the config records as {@link ConfigSchema}
 * derives the keys, so editors (through the yaml-language-server modeline) complete and check the
 * file exactly as Ladder binds it. The committed {@code docs/ladder.schema.json} is this output; a
 * test fails when it drifts.
 */
public final class ConfigJsonSchema {

    /** The file the schema is published as, relative to the repository root. */
    public static final String FILE = "docs/ladder.schema.json";

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    // the same forms Durations.parse accepts: 500ms, 30s, 5m, 2h, 7d, or ISO-8601 such as PT30S
    private static final String DURATION_PATTERN = "^\\s*(\\d+\\s*(ms|s|m|h|d)|[Pp][0-9A-Za-z.,-]+)\\s*$";
    private static final Pattern KEY_ROW = Pattern.compile("^\\|\\s*`([^`]+)`\\s*\\|([^|]*)\\|([^|]*)\\|([^|]*)\\|");

    private ConfigJsonSchema() {}

    /**
     * The schema as JSON text.
     *
     * @param descriptions key path (as in {@link ConfigSchema.Key#path()}) to its description
     */
    public static String generate(Map<String, String> descriptions) {
        ObjectNode schema = JSON.objectNode();
        schema.put("$schema", "http://json-schema.org/draft-07/schema#");
        schema.put("title", "Ladder configuration (ladder.yaml)");
        schema.put(
                "description",
                "Generated from dev.ladder.config.LadderConfig; do not edit. Every key is documented in"
                        + " docs/configuration.md.");
        schema.setAll(section(LadderConfig.class, "", descriptions));
        try {
            DefaultPrettyPrinter printer =
                    new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"));
            return new ObjectMapper().writer(printer).writeValueAsString(schema) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The descriptions of the keys table of {@code docs/configuration.md}: its meaning column, and
     * its default.
     */
    public static Map<String, String> descriptions(String configurationMarkdown) {
        Map<String, String> descriptions = new LinkedHashMap<>();
        for (String line : configurationMarkdown.split("\n")) {
            Matcher m = KEY_ROW.matcher(line);
            if (m.find()) {
                descriptions.put(
                        m.group(1),
                        m.group(4).strip() + " Default: " + m.group(3).strip() + ".");
            }
        }
        return descriptions;
    }

    private static ObjectNode section(Class<?> record, String prefix, Map<String, String> descriptions) {
        ObjectNode node = JSON.objectNode();
        node.put("type", "object");
        node.put("additionalProperties", false);
        ObjectNode properties = node.putObject("properties");
        for (RecordComponent component : ConfigSchema.keyComponents(record)) {
            String name = ConfigSchema.jsonName(component);
            properties.set(name, value(component, prefix + name, descriptions));
        }
        return node;
    }

    private static ObjectNode value(RecordComponent component, String path, Map<String, String> descriptions) {
        Class<?> type = component.getType();
        ObjectNode node;
        if (type.isRecord()) {
            node = section(type, path + ".", descriptions);
        } else if (List.class.isAssignableFrom(type)) {
            Class<?> element = ConfigSchema.elementType(component.getGenericType());
            node = JSON.objectNode().put("type", "array");
            node.set("items", element.isRecord() ? section(element, path + "[].", descriptions) : scalar(element));
        } else if (Map.class.isAssignableFrom(type)) {
            node = JSON.objectNode().put("type", "object");
            // Map<String, String> takes any scalar (Jackson reads 500 as "500"); other maps anything
            if (ConfigSchema.elementType(component.getGenericType()) == String.class) {
                node.set("additionalProperties", JSON.objectNode().set("type", scalarTypes()));
            }
        } else if (path.equals("retry.tiers[].attempts")) {
            node = anyOf(JSON.objectNode().put("type", "integer").put("minimum", 1), constant("unlimited"));
        } else if (path.equals("topics.dead-letter-retention")) {
            node = anyOf(scalar(Duration.class), constant(TopicsConfig.FOREVER));
        } else {
            node = scalar(type);
        }
        String description = descriptions.get(path);
        if (description != null) {
            node.put("description", description);
        }
        return node;
    }

    private static ObjectNode scalar(Class<?> type) {
        ObjectNode node = JSON.objectNode();
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return node.put("type", "integer");
        }
        if (type == Double.class || type == double.class) {
            return node.put("type", "number");
        }
        if (type == Boolean.class || type == boolean.class) {
            return node.put("type", "boolean");
        }
        if (type == Duration.class) {
            return node.put("type", "string").put("pattern", DURATION_PATTERN);
        }
        if (type.isEnum()) {
            ArrayNode values = node.putArray("enum");
            for (Object constant : type.getEnumConstants()) {
                values.add(ConfigJackson.name((Enum<?>) constant));
            }
            return node;
        }
        return node.put("type", "string");
    }

    private static ArrayNode scalarTypes() {
        return JSON.arrayNode().add("string").add("number").add("boolean");
    }

    private static ObjectNode constant(String value) {
        return JSON.objectNode().put("const", value);
    }

    private static ObjectNode anyOf(ObjectNode... choices) {
        ObjectNode node = JSON.objectNode();
        ArrayNode any = node.putArray("anyOf");
        for (ObjectNode choice : choices) {
            any.add(choice);
        }
        return node;
    }
}
