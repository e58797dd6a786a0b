package dev.ladder.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves secret references: a string value that is entirely {@code ${env:NAME}} or
 * {@code ${file:/path}} is replaced by the variable's value or the file's content, so the file
 * itself never holds a secret.
 */
final class SecretRefs {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(env|file):([^}]+)}");

    private SecretRefs() {}

    /**
     * Replaces every reference in {@code root}.
     *
     * @return the key paths whose values came from a reference, so errors never print them
     * @throws ConfigException naming the key when a variable is unset or a file unreadable
     */
    static Set<String> resolve(JsonNode root, Map<String, String> env) {
        Set<String> resolved = new HashSet<>();
        walk(root, "", env, resolved);
        return resolved;
    }

    private static void walk(JsonNode node, String path, Map<String, String> env, Set<String> resolved) {
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                if (field.getValue().isTextual()) {
                    resolveText(field.getValue().asText(), child, env, resolved).ifPresent(field::setValue);
                } else {
                    walk(field.getValue(), child, env, resolved);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                String child = path + "[" + i + "]";
                int index = i;
                if (array.get(i).isTextual()) {
                    resolveText(array.get(i).asText(), child, env, resolved).ifPresent(v -> array.set(index, v));
                } else {
                    walk(array.get(i), child, env, resolved);
                }
            }
        }
    }

    private static Optional<JsonNode> resolveText(
            String text, String path, Map<String, String> env, Set<String> resolved) {
        Matcher m = REFERENCE.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        resolved.add(path);
        String source = m.group(1);
        String name = m.group(2).trim();
        if (source.equals("env")) {
            String value = env.get(name);
            if (value == null) {
                throw new ConfigException(
                        path,
                        "refers to environment variable " + name + ", which is not set",
                        "set " + name + ", or change the reference");
            }
            return Optional.of(TextNode.valueOf(value));
        }
        try {
            // secret files (Kubernetes, Docker) usually end with one newline that is not part of the secret
            return Optional.of(TextNode.valueOf(Files.readString(Path.of(name)).replaceFirst("\\r?\\n$", "")));
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(
                    path,
                    "refers to file " + name + ", which cannot be read ("
                            + e.getClass().getSimpleName() + ")",
                    "a readable file, or an ${env:NAME} reference");
        }
    }
}
