package dev.ladder.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import org.apache.kafka.common.config.ConfigTransformer;

/**
 * Resolves references in text values with Kafka's own {@link ConfigTransformer} and config providers
 * ({@link ConfigProviders}), as a Kafka client or Connect worker does: {@code ${env:NAME}}, {@code
 * ${file:/path/app.properties:key}}, {@code ${dir:/path:file}}, and {@code ${NAME:path:key}} of any
 * provider configured under {@code kafka: config.providers}. A reference may stand anywhere in a
 * value ({@code "Bearer ${env:TOKEN}"}). Ladder's whole-file form {@code ${file:/path}} (no key)
 * reads the whole file, one trailing newline dropped.
 *
 * <p>Files are read only when they lie, after following links and {@code ..}, under one of the
 * allowed directories ({@code secret-file-dirs}): a reference must not be a way to read {@code
 * /etc/shadow} or a service account token into a header sent to a partner. Ladder checks that
 * itself, to name the key and the file, and Kafka's providers get the same {@code allowed.paths}.
 */
final class SecretRefs {

    /**
     * What the references resolved to.
     *
     * @param paths the key paths whose values came from a reference, so errors never print them
     * @param values the values they resolved to, redacted wherever they appear
     */
    record Resolved(Set<String> paths, List<String> values) {}

    /**
     * Where and from which directories file references are read.
     *
     * @param base the directory relative file names are resolved against (the config file's)
     * @param allowed the directories secret files may be in, at any depth
     */
    record FileAccess(Path base, List<Path> allowed) {}

    /** One reference as written, and as handed to the transformer (file paths made absolute and real). */
    private record Reference(String path, String written, String provider, String file, String key, String given) {}

    private SecretRefs() {}

    /**
     * Replaces every reference in {@code root}; takes the {@code config.providers} keys out of its
     * {@code kafka:} section.
     *
     * @throws ConfigException naming the key when a provider is unknown, a variable unset, a file
     *     unreadable or outside the allowed directories, or a key missing from what a provider read
     */
    static Resolved resolve(ObjectNode root, Map<String, String> env, FileAccess files) {
        Map<String, String> texts = new LinkedHashMap<>();
        Map<String, Consumer<String>> setters = new HashMap<>();
        try (ConfigProviders providers = ConfigProviders.create(root, env, files.allowed())) {
            walk(root, "", texts, setters);
            List<Reference> references = new ArrayList<>();
            Map<String, String> rewritten = new LinkedHashMap<>();
            texts.forEach((path, text) -> rewritten.put(path, rewrite(path, text, providers, files, references)));
            if (references.isEmpty()) {
                return new Resolved(Set.of(), List.of());
            }
            // one transform for everything: each provider is asked once per path
            Map<String, String> input = new HashMap<>();
            rewritten.forEach((path, text) -> input.put("text:" + path, text));
            references.forEach(r -> input.put("ref:" + r.given(), r.given()));
            Map<String, String> output = transform(providers, input, references);
            Set<String> paths = new LinkedHashSet<>();
            List<String> values = new ArrayList<>();
            for (Reference r : references) {
                String value = output.get("ref:" + r.given());
                if (value == null || value.equals(r.given())) {
                    throw missing(r, providers);
                }
                paths.add(r.path());
                values.add(value);
            }
            paths.forEach(path -> setters.get(path).accept(output.get("text:" + path)));
            return new Resolved(paths, values);
        }
    }

    private static Map<String, String> transform(
            ConfigProviders providers, Map<String, String> input, List<Reference> references) {
        try {
            return new ConfigTransformer(providers.byName()).transform(input).data();
        } catch (RuntimeException e) {
            Reference first = references.get(0);
            throw new ConfigException(
                    first.path(),
                    "could not be resolved: a config provider failed ("
                            + e.getClass().getSimpleName() + ": " + e.getMessage() + ")",
                    "check the provider's settings under kafka: config.providers");
        }
    }

    /** The text with each reference in the form the providers are asked for; checks provider and file. */
    private static String rewrite(
            String path, String text, ConfigProviders providers, FileAccess files, List<Reference> references) {
        Matcher m = ConfigTransformer.DEFAULT_PATTERN.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String provider = m.group(1);
            String file = m.group(3);
            String key = m.group(4);
            if (!providers.has(provider) || provider.equals(ConfigProviders.WHOLE_FILE)) {
                throw new ConfigException(
                        path,
                        "refers to config provider '" + provider + "', which is not configured",
                        "one of " + providers.names() + ", or a provider named in kafka: config.providers");
            }
            String given = m.group();
            if (provider.equals(ConfigProviders.FILE) && file == null && providers.isBuiltIn(ConfigProviders.FILE)) {
                Path real = allowedFile(path, key, files);
                given = "${" + ConfigProviders.WHOLE_FILE + ":" + real.getParent() + ":" + real.getFileName() + "}";
            } else if (providers.readsFiles(provider) && file != null) {
                Path real = allowedFile(path, provider.equals(ConfigProviders.DIR) ? file + "/" + key : file, files);
                String at =
                        provider.equals(ConfigProviders.DIR) ? real.getParent().toString() : real.toString();
                String name = provider.equals(ConfigProviders.DIR)
                        ? real.getFileName().toString()
                        : key;
                given = "${" + provider + ":" + at + ":" + name + "}";
            }
            references.add(new Reference(path, m.group(), provider, file, key, given));
            m.appendReplacement(out, Matcher.quoteReplacement(given));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static ConfigException missing(Reference r, ConfigProviders providers) {
        if (r.provider().equals(ConfigProviders.ENV) && providers.isBuiltIn(ConfigProviders.ENV)) {
            return new ConfigException(
                    r.path(),
                    "refers to environment variable " + r.key() + ", which is not set",
                    "set " + r.key() + ", or change the reference");
        }
        if (r.provider().equals(ConfigProviders.FILE)
                && providers.isBuiltIn(ConfigProviders.FILE)
                && r.file() != null) {
            return new ConfigException(
                    r.path(),
                    "refers to key " + r.key() + " of file " + r.file() + ", which has no such key",
                    "a key of that properties file (key=value lines), or ${file:" + r.file() + "} for the whole file");
        }
        return new ConfigException(
                r.path(),
                "refers to " + r.written() + ", for which config provider '" + r.provider() + "' has no value",
                "a key the provider has");
    }

    /** The real path of a file a reference names, when it is readable and under an allowed directory. */
    private static Path allowedFile(String path, String name, FileAccess files) {
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
        if (!Files.isReadable(real) || Files.isDirectory(real)) {
            throw unreadable(path, name, new IOException("not a readable file"));
        }
        return real;
    }

    private static ConfigException unreadable(String path, String name, Exception e) {
        return new ConfigException(
                path,
                "refers to file " + name + ", which cannot be read ("
                        + e.getClass().getSimpleName() + ")",
                "a readable file, or an ${env:NAME} reference");
    }

    /** Collects every text value that holds a reference, with a way to set its resolved text. */
    private static void walk(
            JsonNode node, String path, Map<String, String> texts, Map<String, Consumer<String>> setters) {
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                if (field.getValue().isTextual()) {
                    add(child, field.getValue().asText(), texts, setters, v -> field.setValue(TextNode.valueOf(v)));
                } else {
                    walk(field.getValue(), child, texts, setters);
                }
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                String child = path + "[" + i + "]";
                int index = i;
                if (array.get(i).isTextual()) {
                    add(child, array.get(i).asText(), texts, setters, v -> array.set(index, TextNode.valueOf(v)));
                } else {
                    walk(array.get(i), child, texts, setters);
                }
            }
        }
    }

    private static void add(
            String path,
            String text,
            Map<String, String> texts,
            Map<String, Consumer<String>> setters,
            Consumer<String> setter) {
        if (ConfigTransformer.DEFAULT_PATTERN.matcher(text).find()) {
            texts.put(path, text);
            setters.put(path, setter);
        }
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
