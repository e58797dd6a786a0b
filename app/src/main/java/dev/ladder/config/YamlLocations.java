package dev.ladder.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The line of every key in the YAML text. Binding works on a tree (so environment overrides can
 * be merged first) and a tree has no locations; this keeps them for error messages.
 */
final class YamlLocations {

    private YamlLocations() {}

    /** Key path (e.g. {@code retry.tiers[1].delay}) to its 1-based line. */
    static Map<String, Integer> lines(String yaml) throws IOException {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser p = ConfigJackson.MAPPER.createParser(yaml)) {
            if (p.nextToken() != null) {
                walk(p, "", lines);
            }
        }
        return lines;
    }

    private static void walk(JsonParser p, String path, Map<String, Integer> lines) throws IOException {
        if (p.currentToken() == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String child = path.isEmpty() ? p.currentName() : path + "." + p.currentName();
                lines.put(child, p.currentTokenLocation().getLineNr());
                p.nextToken();
                walk(p, child, lines);
            }
        } else if (p.currentToken() == JsonToken.START_ARRAY) {
            int index = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                String child = path + "[" + index++ + "]";
                lines.put(child, p.currentTokenLocation().getLineNr());
                walk(p, child, lines);
            }
        }
    }
}
