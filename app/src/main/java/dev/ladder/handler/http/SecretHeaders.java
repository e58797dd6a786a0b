package dev.ladder.handler.http;

import dev.ladder.text.Redaction;
import dev.ladder.text.Secrets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Knows which request headers carry secrets and scrubs their values from text that leaves the
 * handler (error messages end up in dead-letter records that many people can read): headers whose
 * name looks secret ({@link Redaction#isSecretHeader}), and every value the configuration marked
 * secret, such as one that came from a {@code ${env:…}} reference whatever its header is called.
 */
final class SecretHeaders {

    private final Secrets secrets;

    SecretHeaders(Map<String, String> headers, Collection<String> configured) {
        List<String> values = new ArrayList<>(configured);
        headers.forEach((name, value) -> {
            if (looksSecret(name)) {
                values.add(value);
            }
        });
        this.secrets = Secrets.of(values);
    }

    /** Whether a header's value must never be shown. */
    static boolean looksSecret(String name) {
        return Redaction.isSecretHeader(name);
    }

    /** The text with every secret value masked. */
    String scrub(String text) {
        return secrets.scrub(text);
    }

    /** Like {@link #scrub}, for text cut from a longer one: a secret split by the cut is masked too. */
    String scrubCut(String text) {
        return secrets.scrubCut(text);
    }
}
