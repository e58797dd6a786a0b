package dev.ladder.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The service-link variables the kubelet injects into a pod for the Services of its namespace
 * (when the pod does not set {@code enableServiceLinks: false}), built the way kubelet's
 * {@code envvars.FromServices} builds them: Services without a cluster IP (headless,
 * ExternalName) get none; names are upper-cased with '-' as '_'; the first port also gets the
 * Docker-link {@code <SERVICE>_PORT}.
 */
final class ServiceLinkEnv {

    private ServiceLinkEnv() {}

    /** Every Service that would get a cluster IP: not headless, not ExternalName. */
    static List<JsonNode> withClusterIp(List<JsonNode> services) {
        return services.stream()
                .filter(s -> !"None".equals(s.at("/spec/clusterIP").asText()))
                .filter(s -> !"ExternalName".equals(s.at("/spec/type").asText()))
                .toList();
    }

    /**
     * The variables for {@code services}, the i-th given the cluster IP {@code 10.96.0.(10+i)}
     * unless the manifest fixes one.
     */
    static Map<String, String> of(List<JsonNode> services) {
        Map<String, String> env = new LinkedHashMap<>();
        int n = 10;
        for (JsonNode service : withClusterIp(services)) {
            String ip = service.at("/spec/clusterIP").asText("");
            ip = ip.isEmpty() ? "10.96.0." + n++ : ip;
            add(env, envName(service.at("/metadata/name").asText()), ip, service.at("/spec/ports"));
        }
        return env;
    }

    private static void add(Map<String, String> env, String prefix, String ip, JsonNode ports) {
        env.put(prefix + "_SERVICE_HOST", ip);
        env.put(prefix + "_SERVICE_PORT", ports.get(0).path("port").asText());
        for (JsonNode port : ports) {
            if (!port.path("name").asText().isEmpty()) {
                env.put(
                        prefix + "_SERVICE_PORT_" + envName(port.path("name").asText()),
                        port.path("port").asText());
            }
        }
        String hostIp = ip.contains(":") ? "[" + ip + "]" : ip;
        for (int i = 0; i < ports.size(); i++) {
            JsonNode port = ports.get(i);
            String protocol = port.path("protocol").asText("TCP").toUpperCase(Locale.ROOT);
            String lower = protocol.toLowerCase(Locale.ROOT);
            String number = port.path("port").asText();
            String url = lower + "://" + hostIp + ":" + number;
            if (i == 0) {
                env.put(prefix + "_PORT", url);
            }
            String portPrefix = prefix + "_PORT_" + number + "_" + protocol;
            env.put(portPrefix, url);
            env.put(portPrefix + "_PROTO", lower);
            env.put(portPrefix + "_PORT", number);
            env.put(portPrefix + "_ADDR", ip);
        }
    }

    private static String envName(String name) {
        return name.toUpperCase(Locale.ROOT).replace('-', '_');
    }
}
