package dev.ladder.config;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises the service-link variables Kubernetes injects into every pod for every Service of
 * its namespace (unless the pod sets {@code enableServiceLinks: false}). For a Service
 * {@code ladder-metrics} with cluster IP 10.0.0.7 and port 8080 named {@code metrics}:
 *
 * <pre>
 * LADDER_METRICS_SERVICE_HOST=10.0.0.7              LADDER_METRICS_PORT=tcp://10.0.0.7:8080
 * LADDER_METRICS_SERVICE_PORT=8080                  LADDER_METRICS_PORT_8080_TCP=tcp://10.0.0.7:8080
 * LADDER_METRICS_SERVICE_PORT_METRICS=8080          LADDER_METRICS_PORT_8080_TCP_PROTO=tcp
 *                                                   LADDER_METRICS_PORT_8080_TCP_PORT=8080
 *                                                   LADDER_METRICS_PORT_8080_TCP_ADDR=10.0.0.7
 * </pre>
 *
 * <p>A variable is taken for one only by its exact shape, never by a list of names: its name is
 * {@code <SERVICE>} plus one of the suffixes above, its value has the shape that suffix carries
 * (an IP, a port number, {@code proto://ip:port}), and the same {@code <SERVICE>} has a
 * {@code _SERVICE_HOST} variable holding that IP, because Kubernetes always injects it. So a
 * misspelt override such as {@code LADDER_SERVICE_PORT=9090} is still an error, unless a Service
 * named {@code ladder} really exists.
 */
final class ServiceLinks {

    /** What follows the service prefix, with the value shape each suffix carries. */
    private static final Pattern SUFFIX = Pattern.compile(
            "_SERVICE_HOST|_SERVICE_PORT(_[A-Z0-9_]+)?|_PORT|_PORT_(?<port>[0-9]+)_(?<proto>TCP|UDP|SCTP)(?<part>_PROTO|_PORT|_ADDR)?");

    private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
    // the shape of an IPv6 literal, as Go prints a cluster IP: hex groups and colons, maybe a dotted tail
    private static final Pattern IPV6 = Pattern.compile("(?=[^:]*:[^:]*:)[0-9a-f:]{2,39}(\\.[0-9.]+)?");
    private static final Pattern PORT = Pattern.compile("[1-9][0-9]{0,4}");
    private static final Pattern URL =
            Pattern.compile("(?<proto>tcp|udp|sctp)://(\\[(?<v6>[^\\]]+)]|(?<v4>[0-9.]+)):(?<port>[0-9]+)");

    private ServiceLinks() {}

    /**
     * The Service a variable was injected for, e.g. {@code ladder-metrics} for
     * {@code LADDER_METRICS_PORT}; empty when the variable is not a service link.
     */
    static Optional<String> serviceOf(String name, Map<String, String> env) {
        String value = env.get(name);
        if (value == null) {
            return Optional.empty();
        }
        // the Service name may itself contain "-port-" or "-service-": try every split
        for (int cut = name.indexOf('_'); cut > 0; cut = name.indexOf('_', cut + 1)) {
            String service = name.substring(0, cut);
            Matcher suffix = SUFFIX.matcher(name.substring(cut));
            if (suffix.matches() && fits(suffix, value, env.get(service + "_SERVICE_HOST"))) {
                // Service names are DNS labels (lower case, digits, '-'), so the way back is exact
                return Optional.of(service.toLowerCase(Locale.ROOT).replace('_', '-'));
            }
        }
        return Optional.empty();
    }

    private static boolean fits(Matcher suffix, String value, String host) {
        if (host == null || !isIp(host)) {
            return false;
        }
        String whole = suffix.group();
        if (whole.equals("_SERVICE_HOST")) {
            return value.equals(host);
        }
        if (whole.startsWith("_SERVICE_PORT")) {
            return isPort(value);
        }
        if (whole.equals("_PORT")) {
            Matcher url = URL.matcher(value);
            return url.matches() && host.equals(hostOf(url)) && isPort(url.group("port"));
        }
        String port = suffix.group("port");
        String proto = suffix.group("proto").toLowerCase(Locale.ROOT);
        String part = suffix.group("part");
        if (!isPort(port)) {
            return false;
        }
        if (part == null) {
            Matcher url = URL.matcher(value);
            return url.matches()
                    && url.group("proto").equals(proto)
                    && host.equals(hostOf(url))
                    && url.group("port").equals(port);
        }
        return switch (part) {
            case "_PROTO" -> value.equals(proto);
            case "_PORT" -> value.equals(port);
            default -> value.equals(host); // _ADDR
        };
    }

    private static String hostOf(Matcher url) {
        return url.group("v6") != null ? url.group("v6") : url.group("v4");
    }

    private static boolean isIp(String value) {
        return IPV4.matcher(value).matches() || IPV6.matcher(value).matches();
    }

    private static boolean isPort(String value) {
        return PORT.matcher(value).matches() && Integer.parseInt(value) <= 65535;
    }
}
