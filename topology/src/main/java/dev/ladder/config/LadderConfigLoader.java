package dev.ladder.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Loads the one YAML configuration file: parse, apply {@code LADDER_*} / {@code KAFKA_*}
 * environment overrides, resolve {@code ${env:..}} / {@code ${file:..}} secret references, bind
 * strictly (unknown keys and wrong types are errors), then validate. Every failure is a single
 * {@link ConfigException} naming the key, its origin, the bad value and what is allowed.
 */
public final class LadderConfigLoader {

    /** The {@code LADDER_} variables that are not config keys (used by the launcher). */
    public static final Set<String> RESERVED_ENV = EnvOverrides.RESERVED;

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
        Set<String> secrets = SecretRefs.resolve(root, env);
        LadderConfig config;
        try {
            config = ConfigJackson.MAPPER.treeToValue(root, LadderConfig.class);
        } catch (JsonMappingException e) {
            throw ConfigErrors.translate(e, path -> origin(origins, path), secrets);
        } catch (JsonProcessingException e) {
            throw new ConfigException(
                    "configuration", fileName, "cannot be read: " + e.getOriginalMessage(), null, null);
        }
        try {
            config.validate();
        } catch (ConfigException e) {
            throw e.at(origin(origins, e.key()));
        }
        return config;
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
