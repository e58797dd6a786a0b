package dev.ladder.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigData;
import org.apache.kafka.common.config.provider.ConfigProvider;
import org.apache.kafka.common.config.provider.DirectoryConfigProvider;
import org.apache.kafka.common.config.provider.EnvVarConfigProvider;
import org.apache.kafka.common.config.provider.FileConfigProvider;
import org.apache.kafka.common.utils.Utils;

/**
 * Kafka's config providers, by the name a reference uses ({@code ${NAME:[path:]key}}): {@code env}
 * ({@link EnvVarConfigProvider}), {@code file} ({@link FileConfigProvider}, a key of a properties
 * file) and {@code dir} ({@link DirectoryConfigProvider}, a file of a directory) are always there,
 * the file ones with {@code allowed.paths} set to {@code secret-file-dirs}; any other is configured
 * as in Kafka, under {@code kafka:}: {@code config.providers: vault}, {@code
 * config.providers.vault.class: …}, {@code config.providers.vault.param.NAME: …}. A configured name
 * replaces a built-in one. Those keys configure the providers only: they are taken out of {@code
 * kafka:} so the clients do not set the providers up a second time.
 */
final class ConfigProviders implements AutoCloseable {

    /** The key that lists the configured providers, as in Kafka. */
    static final String PROVIDERS = "config.providers";

    static final String ENV = "env";
    static final String FILE = "file";
    static final String DIR = "dir";
    /** Ladder's whole-file form {@code ${file:/path}}: a directory provider that drops one trailing newline. */
    static final String WHOLE_FILE = "ladder.whole-file";

    private final Map<String, ConfigProvider> providers;
    private final Set<String> builtIn;

    private ConfigProviders(Map<String, ConfigProvider> providers, Set<String> builtIn) {
        this.providers = providers;
        this.builtIn = builtIn;
    }

    /**
     * The built-in providers and those {@code root}'s {@code kafka:} section configures (whose keys
     * are removed from it).
     *
     * @param allowedDirs the real paths secret files may be read under (empty: none)
     * @throws ConfigException naming the key of a provider that cannot be set up
     */
    static ConfigProviders create(ObjectNode root, Map<String, String> env, List<Path> allowedDirs) {
        Map<String, ConfigProvider> providers = new LinkedHashMap<>();
        // Kafka's own fence: its providers read only under allowed.paths. It needs existing
        // directories; with none, Ladder's check (SecretRefs) refuses every file before a provider runs.
        Map<String, Object> files = new HashMap<>();
        if (!allowedDirs.isEmpty()) {
            files.put(
                    FileConfigProvider.ALLOWED_PATHS_CONFIG,
                    allowedDirs.stream().map(Path::toString).collect(Collectors.joining(",")));
        }
        providers.put(ENV, configured(new EnvVarConfigProvider(env), Map.of()));
        providers.put(FILE, configured(new FileConfigProvider(), files));
        providers.put(DIR, configured(new DirectoryConfigProvider(), files));
        providers.put(WHOLE_FILE, configured(new WholeFileProvider(), files));
        Set<String> builtIn = Set.copyOf(providers.keySet());
        Map<String, String> declared = takeProviderKeys(root);
        String names = declared.remove(PROVIDERS);
        List<String> replaced = new ArrayList<>();
        if (names != null) {
            for (String name : names.split(",")) {
                String n = name.trim();
                if (!n.isEmpty()) {
                    providers.put(n, userProvider(n, declared));
                    replaced.add(n);
                }
            }
        }
        Set<String> stillBuiltIn =
                builtIn.stream().filter(n -> !replaced.contains(n)).collect(Collectors.toSet());
        return new ConfigProviders(providers, stillBuiltIn);
    }

    /** The providers by name, for Kafka's {@code ConfigTransformer}. */
    Map<String, ConfigProvider> byName() {
        return providers;
    }

    /** Whether a provider of this name exists. */
    boolean has(String name) {
        return providers.containsKey(name);
    }

    /** Whether {@code name} is Ladder's own file-reading provider, whose paths Ladder checks itself. */
    boolean readsFiles(String name) {
        return builtIn.contains(name) && !name.equals(ENV);
    }

    /** Whether {@code name} is Ladder's built-in provider of that name (not one configured to replace it). */
    boolean isBuiltIn(String name) {
        return builtIn.contains(name);
    }

    /** The names a reference may use, for error messages. */
    String names() {
        return providers.keySet().stream().filter(n -> !n.equals(WHOLE_FILE)).collect(Collectors.joining(", "));
    }

    @Override
    public void close() {
        providers.values().forEach(p -> {
            try {
                p.close();
            } catch (IOException | RuntimeException e) {
                // nothing a closed provider can still do wrong; the configuration is already read
            }
        });
    }

    private static ConfigProvider configured(ConfigProvider provider, Map<String, ?> settings) {
        provider.configure(settings);
        return provider;
    }

    private static ConfigProvider userProvider(String name, Map<String, String> declared) {
        String classKey = PROVIDERS + "." + name + ".class";
        String className = declared.get(classKey);
        if (className == null) {
            throw new ConfigException(
                    "kafka." + PROVIDERS,
                    "names provider " + name + ", but kafka." + classKey + " is not set",
                    "a ConfigProvider class, e.g. " + FileConfigProvider.class.getName());
        }
        String paramPrefix = PROVIDERS + "." + name + ".param.";
        Map<String, String> params = new HashMap<>();
        declared.forEach((k, v) -> {
            if (k.startsWith(paramPrefix)) {
                params.put(k.substring(paramPrefix.length()), v);
            }
        });
        try {
            return configured(Utils.newInstance(className, ConfigProvider.class), params);
        } catch (ClassNotFoundException | RuntimeException e) {
            throw new ConfigException(
                    "kafka." + classKey,
                    "class " + className + " cannot be set up as a config provider ("
                            + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                            + ")",
                    "a ConfigProvider on the class path, with its config.providers." + name + ".param.* settings");
        }
    }

    /** Removes {@code config.providers*} from {@code kafka:} and answers them as text. */
    private static Map<String, String> takeProviderKeys(ObjectNode root) {
        Map<String, String> keys = new HashMap<>();
        JsonNode kafka = root.get("kafka");
        if (!(kafka instanceof ObjectNode section)) {
            return keys;
        }
        for (Map.Entry<String, JsonNode> e : section.properties()) {
            if (e.getKey().equals(PROVIDERS) || e.getKey().startsWith(PROVIDERS + ".")) {
                keys.put(e.getKey(), e.getValue().asText());
            }
        }
        section.remove(keys.keySet());
        return keys;
    }

    /**
     * {@code ${file:/path}}, Ladder's whole-file reference (a path with no key), is this provider
     * with the file's folder as path and its name as key: Kafka's {@link DirectoryConfigProvider},
     * minus the one trailing newline that secret files (Kubernetes, Docker) end with.
     */
    static final class WholeFileProvider implements ConfigProvider {
        private final DirectoryConfigProvider files = new DirectoryConfigProvider();

        @Override
        public void configure(Map<String, ?> configs) {
            files.configure(configs);
        }

        @Override
        public ConfigData get(String path) {
            return trimmed(files.get(path));
        }

        @Override
        public ConfigData get(String path, Set<String> keys) {
            return trimmed(files.get(path, keys));
        }

        private static ConfigData trimmed(ConfigData data) {
            Map<String, String> out = new HashMap<>();
            data.data().forEach((k, v) -> out.put(k, v == null ? null : v.replaceFirst("\\r?\\n$", "")));
            return new ConfigData(out, data.ttl());
        }

        @Override
        public void close() throws IOException {
            files.close();
        }
    }
}
