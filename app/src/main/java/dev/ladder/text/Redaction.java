package dev.ladder.text;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one rule for which configured values are secrets, so they never reach a log line, an error
 * message, a dead letter's error history or a {@code toString()}: names that look secret, user
 * info, query values and fragments of URLs, and (through {@link Secrets}) every value that came
 * from a secret reference or a secret-named header. The configuration and the HTTP handler both
 * mask with it ({@link #text}). Errs on the side of hiding: a hidden harmless value costs a look at
 * the file, a shown password costs a rotation.
 */
public final class Redaction {

    /** What replaces a secret. */
    public static final String REDACTED = "[redacted]";

    // ssl.key.password, sasl.jaas.config, basic.auth.user.info, *.token*, ssl.keystore.key, api.key
    private static final Pattern SECRET_PROPERTY = Pattern.compile(
            ".*(password|jaas|secret|token|credential|user\\.info|apikey|api\\.key|api-key|private).*|.*[.-]key");
    private static final Pattern SECRET_HEADER =
            Pattern.compile("authorization|proxy-authorization|.*(cookie|token|secret|password|api-key|apikey).*");
    private static final Pattern URL_USER_INFO = Pattern.compile("(://)[^/@?#\\s]*@");
    // a query or fragment of a URL: ?a=1&b=2#frag; values end at &, #, white space or a quote
    private static final Pattern URL_QUERY_VALUE = Pattern.compile("([?&][^=&#\\s\"']*=)[^&#\\s\"']*");
    private static final Pattern URL_BARE_PARAM = Pattern.compile("([?&])[^=&#\\s\"'\\[]+(?=$|[&#\\s\"'])");
    private static final Pattern URL_FRAGMENT = Pattern.compile("(://[^\\s\"']*#)[^\\s\"']+");

    private Redaction() {}

    /** True when a Kafka property or handler setting of this name holds a secret. */
    public static boolean isSecretProperty(String name) {
        return SECRET_PROPERTY.matcher(name.toLowerCase(Locale.ROOT)).matches();
    }

    /** True when an HTTP header of this name holds a secret. */
    public static boolean isSecretHeader(String name) {
        return SECRET_HEADER.matcher(name.toLowerCase(Locale.ROOT)).matches();
    }

    /** A copy with every secret property's value replaced. */
    public static <V> Map<String, Object> properties(Map<String, V> values) {
        Map<String, Object> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> copy.put(k, isSecretProperty(k) ? REDACTED : v));
        return copy;
    }

    /** The values of the headers whose name holds a secret ({@link #isSecretHeader}). */
    public static List<String> secretHeaderValues(Map<String, String> headers) {
        List<String> values = new ArrayList<>();
        headers.forEach((name, value) -> {
            if (isSecretHeader(name)) {
                values.add(value);
            }
        });
        return values;
    }

    /**
     * Text that leaves Ladder (an error message, a response snippet, a log line): every secret and
     * every recognisable part of one masked, then every URL's user info, query values and fragment.
     */
    public static String text(Secrets secrets, String text) {
        return url(secrets.scrub(text));
    }

    /** Like {@link #text}, for text cut at its end from a longer one: a secret split by the cut is masked too. */
    public static String cutText(Secrets secrets, String text) {
        return url(secrets.scrubCut(text));
    }

    /** A copy with every secret header's value replaced. */
    public static Map<String, String> headers(Map<String, String> values) {
        Map<String, String> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> copy.put(k, isSecretHeader(k) ? REDACTED : v));
        return copy;
    }

    /**
     * Every URL in the text without user info, query values or fragment
     * ({@code https://u:pw@host/p?code=x#t} → {@code https://[redacted]@host/p?code=[redacted]#[redacted]}):
     * query strings carry OAuth codes, signatures and tokens as often as they carry anything else.
     */
    public static String url(String text) {
        if (text == null || !text.contains("://")) {
            return text;
        }
        String out = URL_USER_INFO.matcher(text).replaceAll("$1" + Matcher.quoteReplacement(REDACTED) + "@");
        out = URL_FRAGMENT.matcher(out).replaceAll("$1" + Matcher.quoteReplacement(REDACTED));
        if (out.indexOf('?') < 0) {
            return out;
        }
        StringBuilder masked = new StringBuilder();
        Matcher urls = Pattern.compile("://[^\\s\"']*").matcher(out);
        int last = 0;
        while (urls.find()) {
            masked.append(out, last, urls.start());
            String url = URL_QUERY_VALUE.matcher(urls.group()).replaceAll("$1" + Matcher.quoteReplacement(REDACTED));
            masked.append(URL_BARE_PARAM.matcher(url).replaceAll("$1" + Matcher.quoteReplacement(REDACTED)));
            last = urls.end();
        }
        return masked.append(out.substring(last)).toString();
    }
}
