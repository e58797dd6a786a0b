package dev.ladder.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code LADDER_*} and {@code KAFKA_*} environment variables to the parsed file, before
 * binding, so an override is validated exactly like the file it overrides.
 */
final class EnvOverrides {

    /** {@code LADDER_} variables that belong to the launcher, not to the config model. */
    static final Set<String> RESERVED = Set.of("LADDER_CONFIG", "LADDER_OPTS", "LADDER_HOME", "LADDER_OPS_TOKEN");

    private static final Logger LOG = LoggerFactory.getLogger(EnvOverrides.class);
    private static final Set<String> KAFKA_NAMES = kafkaNames();

    private EnvOverrides() {}

    /** The variable that overrides a key: {@code retry.immediate.attempts} → {@code LADDER_RETRY_IMMEDIATE_ATTEMPTS}. */
    static String envName(String path) {
        return "LADDER_" + path.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /**
     * Applies the overrides to {@code root}.
     *
     * @param origins receives, per overridden key path, the variable it came from
     * @param errors receives every variable that cannot be applied; the others still are
     */
    static void apply(
            ObjectNode root, Map<String, String> env, Map<String, String> origins, List<ConfigException> errors) {
        Map<String, ConfigSchema.Key> byName = new HashMap<>();
        Map<String, ConfigSchema.Key> notOverridable = new HashMap<>();
        for (ConfigSchema.Key key : ConfigSchema.keys()) {
            if (key.inList()) {
                notOverridable.put(envName(key.path().substring(0, key.path().indexOf("[]"))), key);
            } else if (key.kind() == ConfigSchema.Kind.SCALAR) {
                byName.put(envName(key.path()), key);
            } else {
                notOverridable.put(envName(key.path()), key);
            }
        }
        Set<String> linkedServices = new TreeSet<>();
        // sorted, so that errors and results do not depend on the map's iteration order
        for (Map.Entry<String, String> var : new TreeMap<>(env).entrySet()) {
            String name = var.getKey();
            if (name.startsWith("LADDER_") && !RESERVED.contains(name)) {
                ConfigSchema.Key key = byName.get(name);
                if (key != null) {
                    // a config key is a config key, whatever its value looks like
                    try {
                        set(root, key.path(), var.getValue(), name);
                        origins.put(key.path(), origin(name, env));
                    } catch (ConfigException e) {
                        errors.add(e);
                    }
                    continue;
                }
                // Kubernetes injects LADDER_METRICS_PORT=tcp://... for a Service named ladder-metrics: not ours
                Optional<String> service = ServiceLinks.serviceOf(name, env);
                if (service.isEmpty()) {
                    errors.add(unmatched(name, byName.keySet(), notOverridable));
                } else {
                    linkedServices.add(service.get());
                }
            } else if (name.startsWith("KAFKA_")) {
                String property = name.substring("KAFKA_".length())
                        .toLowerCase(Locale.ROOT)
                        .replace('_', '.');
                if (KAFKA_NAMES.contains(property)) {
                    root.with("kafka").put(property, var.getValue());
                    origins.put("kafka." + property, "environment variable " + name);
                } else {
                    // Kubernetes injects KAFKA_PORT=tcp://... for a Service named kafka: not ours
                    LOG.debug(
                            "Ignoring environment variable {}: {} is not a Kafka client or Streams property",
                            name,
                            property);
                }
            }
        }
        if (!linkedServices.isEmpty()) {
            // names only: values are cluster IPs and ports, but a log line has no business printing values
            LOG.info(
                    "Ignoring the Kubernetes service-link variables (LADDER_<SERVICE>_SERVICE_HOST, _PORT, ...) of"
                            + " the Services {}; set enableServiceLinks: false on the pod to drop them",
                    linkedServices);
        }
    }

    /**
     * Where an override came from. A key set by what looks like a service link (a Service named
     * {@code ladder-server} makes {@code LADDER_SERVER_PORT=tcp://10.0.0.1:8080}) says so, because
     * the error about it would otherwise puzzle whoever never set that variable.
     */
    private static String origin(String name, Map<String, String> env) {
        return ServiceLinks.serviceOf(name, env)
                .map(s -> "environment variable " + name + " (injected by Kubernetes for the Service " + s
                        + "? set enableServiceLinks: false on the pod)")
                .orElse("environment variable " + name);
    }

    private static ConfigException unmatched(
            String name, Set<String> known, Map<String, ConfigSchema.Key> notOverridable) {
        for (Map.Entry<String, ConfigSchema.Key> entry : notOverridable.entrySet()) {
            if (name.equals(entry.getKey()) || name.startsWith(entry.getKey() + "_")) {
                String path = entry.getValue().path();
                String shown = path.contains("[]") ? path.substring(0, path.indexOf("[]")) : path;
                String hint =
                        shown.equals("kafka") ? "KAFKA_<PROPERTY> variables, or the config file" : "the config file";
                return new ConfigException(
                        shown,
                        "cannot be set from the environment (" + name + " is set)",
                        "set lists and maps in " + hint);
            }
        }
        String hint = Suggestions.nearest(name, known)
                .map(s -> "did you mean " + s + "? ")
                .orElse("");
        return new ConfigException(
                name,
                "matches no configuration key",
                hint + "LADDER_ + a key path upper-cased with '.' and '-' as '_' (e.g. LADDER_TOPICS_MAIN), or one of "
                        + RESERVED.stream().sorted().toList());
    }

    private static void set(ObjectNode root, String path, String value, String variable) {
        String[] parts = path.split("\\.");
        ObjectNode node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            if (child == null || child.isNull()) {
                child = node.putObject(parts[i]);
            }
            if (!child.isObject()) {
                throw new ConfigException(
                        String.join(".", java.util.Arrays.copyOf(parts, i + 1)),
                        "is not a section, so " + variable + " cannot be applied",
                        "a section of key: value entries");
            }
            node = (ObjectNode) child;
        }
        node.put(parts[parts.length - 1], value);
    }

    private static Set<String> kafkaNames() {
        Set<String> names = new HashSet<>(StreamsConfig.configDef().names());
        names.addAll(ProducerConfig.configNames());
        names.addAll(ConsumerConfig.configNames());
        names.addAll(AdminClientConfig.configNames());
        return Set.copyOf(names);
    }
}
