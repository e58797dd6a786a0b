package dev.ladder.app.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The bearer token the commands that call the ops port send: read from {@code --token-file}, else
 * from the environment variable {@value #ENV}. Never an option's value, so it stays out of shell
 * history and process lists.
 */
final class OpsTokenOption {

    /** The environment variable holding the token when no file is given. */
    static final String ENV = "LADDER_OPS_TOKEN";

    @Option(
            names = "--token-file",
            paramLabel = "FILE",
            description = "File holding the ops bearer token (default: the " + ENV + " environment variable).")
    Path tokenFile;

    /** The token, if one is given. */
    Optional<String> token() throws IOException {
        return token(System.getenv());
    }

    Optional<String> token(Map<String, String> env) throws IOException {
        if (tokenFile != null) {
            // secret files usually end with a newline that is not part of the token
            return Optional.of(Files.readString(tokenFile).strip());
        }
        return Optional.ofNullable(env.get(ENV)).map(String::strip).filter(t -> !t.isEmpty());
    }
}
