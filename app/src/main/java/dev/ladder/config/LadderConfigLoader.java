package dev.ladder.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads the one YAML configuration file: parse, apply {@code LADDER_*} / {@code KAFKA_*}
 * environment overrides, resolve {@code ${provider:[path:]key}} references with Kafka's config
 * providers ({@code env}, {@code file}, {@code dir} and any under {@code kafka: config.providers};
 * see {@link SecretRefs}), bind
 * strictly (unknown keys and wrong types are errors), then validate. Every failure is a single
 * {@link ConfigException} naming the key, its origin, the bad value and what is allowed.
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
        EnvOverrides.apply(root, env, origins);
        Path base = file.toAbsolutePath().getParent();
        SecretRefs.Resolved resolved;
        try {
            resolved = SecretRefs.resolve(
                    root, env, new SecretRefs.FileAccess(base, SecretRefs.realDirs(secretFileDirs(root, base))));
        } catch (ConfigException e) {
            throw e.at(origin(origins, e.key()));
        }
        Secrets secrets = Secrets.of(resolved.values());
        LadderConfig config;
        try {
            config = ConfigJackson.MAPPER.treeToValue(root, LadderConfig.class).withSecrets(secrets);
        } catch (JsonMappingException e) {
            throw ConfigErrors.translate(e, path -> origin(origins, path), resolved.paths())
                    .scrubbed(secrets);
        } catch (JsonProcessingException e) {
            throw new ConfigException(
                            "configuration", fileName, "cannot be read: " + e.getOriginalMessage(), null, null)
                    .scrubbed(secrets);
        }
        try {
            config.validate();
        } catch (ConfigException e) {
            // a check may quote a value that came from a reference (e.g. upper-cased): never show it
            throw e.scrubbed(secrets).at(origin(origins, e.key()));
        }
        return config;
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
