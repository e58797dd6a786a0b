package dev.ladder.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ladder.policy.InvalidPolicyException;
import dev.ladder.text.Secrets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads the one YAML configuration file: parse, apply {@code LADDER_*} / {@code KAFKA_*}
 * environment overrides, resolve {@code ${provider:[path:]key}} references with Kafka's config
 * providers ({@code env}, {@code file}, {@code dir} and any under {@code kafka: config.providers};
 * see {@link SecretRefs}), bind
 * strictly (unknown keys and wrong types are errors), then validate. Every failure is a single
 * {@link ConfigException} naming, for every mistake of the file at once, the key, its origin, the
 * bad value as written and what is allowed.
 */
public final class LadderConfigLoader {

    /** The {@code LADDER_} variables that are not config keys (used by the launcher). */
    public static final Set<String> RESERVED_ENV = EnvOverrides.RESERVED;

    /** Where file references ({@code file}, {@code dir}) may read besides the config file's folder, by default. */
    public static final List<String> DEFAULT_SECRET_DIRS = List.of("/etc/ladder", "/var/run/secrets");

    private static final String SECRET_FILE_DIRS = "secret-file-dirs";

    private LadderConfigLoader() {}

    /** Loads {@code file} with the process environment. */
    public static LadderConfig load(Path file) {
        return load(file, System.getenv());
    }

    /**
     * Loads and validates {@code file}.
     *
     * @param env the environment: overrides and {@code ${env:NAME}} references are read from it
     * @throws ConfigException when the file or an override cannot work
     */
    public static LadderConfig load(Path file, Map<String, String> env) {
        String yaml;
        try {
            yaml = Files.readString(file);
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(
                    "configuration file",
                    "'" + file + "' cannot be read (" + e.getClass().getSimpleName() + ")",
                    "a readable YAML file; see config/ladder.example.yaml");
        }
        String fileName = String.valueOf(file.getFileName());
        Map<String, String> origins = new HashMap<>();
        ObjectNode root = parse(yaml, fileName, origins);
        List<ConfigException> errors = new ArrayList<>();
        EnvOverrides.apply(root, env, origins, errors);
        Path base = file.toAbsolutePath().getParent();
        SecretRefs.Resolved resolved;
        try {
            resolved = SecretRefs.resolve(
                    root, env, new SecretRefs.FileAccess(base, SecretRefs.realDirs(secretFileDirs(root, base))));
        } catch (ConfigException e) {
            // unresolved references leave nothing to bind: report them with what was found so far
            errors.add(e.at(origin(origins, e.key())));
            throw ConfigException.of(errors);
        }
        Secrets secrets = Secrets.of(resolved.values());
        Set<String> unbound = new HashSet<>();
        LadderConfig config = bind(root, fileName, secrets, resolved.paths(), origins, errors, unbound);
        if (config != null) {
            for (InvalidPolicyException problem : config.problems()) {
                // a key that could not be bound was left out, so its default may now look wrong too
                if (unbound.stream().noneMatch(k -> within(problem.setting(), k))) {
                    errors.add(ConfigException.of(ConfigSpelling.asWritten(problem, root), null)
                            .scrubbed(secrets)
                            .at(origin(origins, problem.setting())));
                }
            }
        }
        if (!errors.isEmpty()) {
            // in file order; what came from the environment (no line) after
            errors.sort(Comparator.comparingInt(e -> line(e.where(), fileName)));
            throw ConfigException.of(errors);
        }
        return config;
    }

    /**
     * Binds the tree strictly, collecting every binding error: each bad key is reported, left out
     * and binding tried again, so a file with several mistakes is reported in one go.
     *
     * @param unbound where the paths of the keys left out are added
     * @return the configuration without the bad keys, or null when binding cannot go on
     */
    private static LadderConfig bind(
            ObjectNode root,
            String fileName,
            Secrets secrets,
            Set<String> secretPaths,
            Map<String, String> origins,
            List<ConfigException> errors,
            Set<String> unbound) {
        ObjectNode tree = root.deepCopy();
        while (true) {
            try {
                return ConfigJackson.MAPPER
                        .treeToValue(tree, LadderConfig.class)
                        .withSecrets(secrets);
            } catch (JsonMappingException e) {
                errors.add(ConfigErrors.translate(e, path -> origin(origins, path), secretPaths)
                        .scrubbed(secrets));
                String path = ConfigErrors.path(e.getPath());
                if (path.isEmpty() || !unbound.add(path) || !remove(tree, e.getPath())) {
                    return null;
                }
            } catch (JsonProcessingException e) {
                errors.add(new ConfigException(
                                "configuration", fileName, "cannot be read: " + e.getOriginalMessage(), null, null)
                        .scrubbed(secrets));
                return null;
            }
        }
    }

    /**
     * Takes the node at {@code path} out of the tree: a field is removed (its default applies), a
     * list element becomes an empty section, or null, so the other elements keep their index.
     */
    private static boolean remove(JsonNode tree, List<JsonMappingException.Reference> path) {
        JsonNode parent = tree;
        for (int i = 0; i < path.size() - 1; i++) {
            JsonMappingException.Reference ref = path.get(i);
            parent = ref.getFieldName() != null ? parent.get(ref.getFieldName()) : parent.get(ref.getIndex());
            if (parent == null) {
                return false;
            }
        }
        JsonMappingException.Reference last = path.get(path.size() - 1);
        if (parent instanceof ObjectNode object && last.getFieldName() != null) {
            return object.remove(last.getFieldName()) != null;
        }
        if (parent instanceof ArrayNode array && last.getIndex() >= 0 && last.getIndex() < array.size()) {
            array.set(
                    last.getIndex(),
                    array.get(last.getIndex()).isObject() ? array.objectNode() : NullNode.getInstance());
            return true;
        }
        return false;
    }

    /** The line of an origin such as {@code ladder.yaml:12}, or the largest int for any other. */
    private static int line(String where, String fileName) {
        if (where != null && where.startsWith(fileName + ":")) {
            try {
                return Integer.parseInt(where.substring(fileName.length() + 1));
            } catch (NumberFormatException e) {
                // not a line: sorted last
            }
        }
        return Integer.MAX_VALUE;
    }

    /** True when {@code key} is {@code outer} or lies inside it. */
    private static boolean within(String key, String outer) {
        return key.equals(outer) || key.startsWith(outer + ".") || key.startsWith(outer + "[");
    }

    /**
     * The directories {@code ${file:…}} may read from: {@code secret-file-dirs} (read before
     * references are resolved, so it cannot itself be one), relative to the file's folder; by
     * default that folder, {@code /etc/ladder} and {@code /var/run/secrets}. A value that is not a
     * list of names is left for binding to report.
     */
    private static List<Path> secretFileDirs(ObjectNode root, Path base) {
        JsonNode dirs = root.get(SECRET_FILE_DIRS);
        List<Path> paths = new ArrayList<>();
        if (dirs != null && dirs.isArray()) {
            dirs.forEach(d -> {
                if (d.isTextual()) {
                    paths.add(base.resolve(d.asText()));
                }
            });
            return paths;
        }
        paths.add(base);
        DEFAULT_SECRET_DIRS.forEach(d -> paths.add(Path.of(d)));
        return paths;
    }

    private static ObjectNode parse(String yaml, String fileName, Map<String, String> origins) {
        JsonNode tree;
        try {
            tree = ConfigJackson.MAPPER.readTree(yaml);
            YamlLocations.lines(yaml).forEach((path, line) -> origins.put(path, fileName + ":" + line));
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null
                    ? fileName
                    : fileName + ":" + e.getLocation().getLineNr();
            throw new ConfigException(
                    "configuration", where, "is not valid YAML: " + e.getOriginalMessage(), null, null);
        } catch (IOException e) {
            throw new ConfigException("configuration", fileName, "cannot be read: " + e.getMessage(), null, null);
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            return ConfigJackson.MAPPER.createObjectNode();
        }
        if (!tree.isObject()) {
            throw new ConfigException(
                    "configuration",
                    fileName,
                    "is not a map of keys",
                    "key: value lines such as 'topics: {main: orders}'",
                    null);
        }
        return (ObjectNode) tree;
    }

    /** The origin of a key, or of its nearest enclosing key that has one. */
    private static String origin(Map<String, String> origins, String path) {
        for (String p = path; p != null && !p.isEmpty(); p = parent(p)) {
            String origin = origins.get(p);
            if (origin != null) {
                return origin;
            }
        }
        return null;
    }

    private static String parent(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut <= 0 ? null : path.substring(0, cut);
    }
}
