package dev.ladder.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The ops tokens every IT configuration carries: a read and an operator token, each in a file next
 * to the configuration file and referenced from it as {@code ${file:…}}, the way a deployment does.
 */
final class OpsTokens {

    static final String READ = "it-read-token-0123456789abcdef";
    static final String OPERATOR = "it-operator-token-0123456789abcdef";
    static final String READ_FILE = "ops-read-token";
    static final String OPERATOR_FILE = "ops-operator-token";

    /** The {@code auth:} block, indented to sit under {@code server:}. */
    static final String SERVER_AUTH = """
              auth:
                tokens:
                  - {name: it-viewer, role: read, token: "${file:%s}"}
                  - {name: it-operator, role: operator, token: "${file:%s}"}
            """.formatted(READ_FILE, OPERATOR_FILE);

    private OpsTokens() {}

    /** Writes both token files into the configuration file's folder. */
    static void writeFiles(Path configDir) {
        try {
            Files.createDirectories(configDir);
            Files.writeString(configDir.resolve(READ_FILE), READ + "\n");
            Files.writeString(configDir.resolve(OPERATOR_FILE), OPERATOR + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The operator token file of a configuration folder, for {@code --token-file}. */
    static String operatorFile(Path configDir) {
        return configDir.resolve(OPERATOR_FILE).toString();
    }

    /** The request with the operator token. */
    static HttpRequest.Builder asOperator(HttpRequest.Builder request) {
        return request.header("Authorization", "Bearer " + OPERATOR);
    }
}
