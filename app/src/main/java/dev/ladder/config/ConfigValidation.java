package dev.ladder.config;

import dev.ladder.handler.http.HttpHandlerSettings;
import dev.ladder.policy.InvalidPolicyException;
import dev.ladder.text.Durations;
import dev.ladder.text.Redaction;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks what only the app uses (the topology's settings check themselves): the handler, the
 * envelope serde, the server and live reload. Every problem is collected, none stops the others.
 */
final class ConfigValidation {

    private ConfigValidation() {}

    static List<InvalidPolicyException> problems(LadderConfig config) {
        List<InvalidPolicyException> problems = new ArrayList<>();
        handlerProblems(config.handler(), problems);
        problems.addAll(EnvelopeSerdeLoader.problems(config.topics().envelopeSerde(), config.kafka()));
        int port = config.server().port();
        if (port < 0 || port > 65535) {
            problems.add(new ConfigException(
                    "server.port", "is " + port, "a TCP port from 0 to 65535 (0 picks a free port)"));
        }
        problems.addAll(config.server().auth().problems(config.secrets()));
        if (config.reloadInterval().isNegative()) {
            problems.add(new ConfigException(
                    "reload-interval",
                    "is " + Durations.format(config.reloadInterval()),
                    "a positive duration such as 5s, or 0s to turn live reload off"));
        }
        if (config.applicationId() != null && config.applicationId().isBlank()) {
            problems.add(new ConfigException(
                    "application-id",
                    "is blank",
                    "a Kafka Streams application id, or leave it out for ladder-<topics.main>"));
        }
        return problems;
    }

    private static void handlerProblems(HandlerConfig handler, List<InvalidPolicyException> problems) {
        if (handler.type() == HandlerConfig.Type.CLASS) {
            if (handler.className() == null || handler.className().isBlank()) {
                problems.add(new ConfigException(
                        "handler.class",
                        "is missing for handler.type: class",
                        "the class name of an implementation of dev.ladder.handler.EventHandler"));
            }
            return;
        }
        HttpConfig http = handler.http();
        if (http.url() == null || http.url().isBlank()) {
            problems.add(new ConfigException(
                    "handler.http.url",
                    "is missing for handler.type: http",
                    "an http:// or https:// URL, or handler.type: class"));
        }
        URI url = null;
        if (http.url() != null && !http.url().isBlank()) {
            try {
                url = new URI(http.url().trim());
            } catch (URISyntaxException e) {
                // the error does not repeat a URL that may hold a token
                problems.add(new ConfigException(
                        "handler.http.url",
                        "is not a URL (" + Redaction.url(http.url()) + ")",
                        "e.g. https://partner.example/hook"));
            }
        }
        // the handler's own checks, but for the request timeout: that is handler.timeout, checked
        // with the topology's settings
        boolean urlReported = url == null;
        HttpHandlerSettings.problems(
                        url, http.method(), http.headers(), null, http.connectTimeout(), http.bodySnippetBytes())
                .stream()
                .filter(p -> !(urlReported && p.setting().equals("handler.http.url")))
                .forEach(problems::add);
    }
}
