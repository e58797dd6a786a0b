package dev.ladder.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves secret references: a string value that is entirely {@code ${env:NAME}} or
 * {@code ${file:/path}} is replaced by the variable's value or the file's content, so the file
 * itself never holds a secret. A file is read only when it lies, after following links and
 * {@code ..}, under one of the allowed directories: a reference must not be a way to read
 * {@code /etc/shadow} or a service account token into a header sent to a partner.
 */
final class SecretRefs {

    private static final Pattern REFERENCE = Pattern.compile("\\$\\{(env|file):([^}]+)}");

    /**
     * What the references resolved to.
     *
     * @param paths the key paths whose values came from a reference, so errors never print them
     * @param values the values they resolved to, redacted wherever they appear
     */
    record Resolved(Set<String> paths, List<String> values) {}

    /**
     * Where and from which directories {@code ${file:…}} references are read.
     *
     * @param base the directory relative file names are resolved against (the config file's)
     * @param allowed the directories secret files may be in, at any depth
     */
    record FileAccess(Path base, List<Path> allowed) {}

    private SecretRefs() {}

    /**
     * Replaces every reference in {@code root}.
     *
     * @throws ConfigException naming the key when a variable is unset, a file unreadable or outside
     *     the allowed directories
     */
    static Resolved resolve(JsonNode root, Map<String, String> env, FileAccess files) {
        Set<String> resolved = new HashSet<>();
        List<String> values = new ArrayList<>();
        walk(root, "", env, files, resolved, values);
        return new Resolved(resolved, values);
    }

    private static void walk(
            JsonNode node,
            String path,
            Map<String, String> env,
            FileAccess files,
            Set<String> resolved,
            List<String> values) {
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                if (field.getValue().isTextual()) {
                    resolveText(field.getValue().asText(), child, env, files, resolved, values)
                            .ifPresent(field::setValue);
                } else {
                    walk(field.getValue(), child, env, files, resolved, values);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                String child = path + "[" + i + "]";
                int index = i;
                if (array.get(i).isTextual()) {
                    resolveText(array.get(i).asText(), child, env, files, resolved, values)
                            .ifPresent(v -> array.set(index, v));
                } else {
                    walk(array.get(i), child, env, files, resolved, values);
                }
            }
        }
    }

    private static Optional<JsonNode> resolveText(
            String text,
            String path,
            Map<String, String> env,
            FileAccess files,
            Set<String> resolved,
            List<String> values) {
        Matcher m = REFERENCE.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        resolved.add(path);
        String source = m.group(1);
        String name = m.group(2).trim();
        String value;
        if (source.equals("env")) {
            value = env.get(name);
            if (value == null) {
                throw new ConfigException(
                        path,
                        "refers to environment variable " + name + ", which is not set",
                        "set " + name + ", or change the reference");
            }
        } else {
            value = readFile(path, name, files);
        }
        values.add(value);
        return Optional.of(TextNode.valueOf(value));
    }

    private static String readFile(String path, String name, FileAccess files) {
        Path real;
        try {
            real = files.base().resolve(name).toRealPath();
        } catch (IOException | RuntimeException e) {
            throw unreadable(path, name, e);
        }
        if (files.allowed().stream().noneMatch(real::startsWith)) {
            throw new ConfigException(
                    path,
                    "refers to file " + name + ", which is outside the directories secret files may be read from "
                            + files.allowed(),
                    "a file under one of them, or add its directory to secret-file-dirs");
        }
        try {
            // secret files (Kubernetes, Docker) usually end with one newline that is not part of the secret
            return Files.readString(real).replaceFirst("\\r?\\n$", "");
        } catch (IOException | RuntimeException e) {
            throw unreadable(path, name, e);
        }
    }

    private static ConfigException unreadable(String path, String name, Exception e) {
        return new ConfigException(
                path,
                "refers to file " + name + ", which cannot be read ("
                        + e.getClass().getSimpleName() + ")",
                "a readable file, or an ${env:NAME} reference");
    }

    /**
     * The allowed directories as real paths: each one that exists, links followed, so that a file's
     * real path can be compared with them.
     */
    static List<Path> realDirs(List<Path> dirs) {
        List<Path> real = new ArrayList<>();
        for (Path dir : dirs) {
            try {
                real.add(dir.toRealPath());
            } catch (IOException | RuntimeException e) {
                // a directory that does not exist holds no file to read
            }
        }
        return real;
    }
}
