package dev.ladder.text;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Values that must never be shown (those that came from {@code ${env:…}} / {@code ${file:…}}
 * references, a handler's secret headers) and the text that masks them. A value is also masked by
 * its recognisable parts, because that is how it gets echoed: the credentials after an auth scheme
 * ({@code Bearer abc} → {@code abc}), the decoded user and password of {@code Basic}, the user
 * info, path and query values of a URL, its URL-encoded form; and case-insensitively, since a
 * value may be upper-cased before it is quoted.
 */
public final class Secrets {

    /** No secrets. */
    public static final Secrets NONE = new Secrets(List.of());

    // Shorter fragments would mask harmless text; credentials are rarely this short anyway.
    private static final int MIN_FRAGMENT = 4;

    private final List<String> values;
    private final List<String> fragments;
    private final Pattern pattern;

    private Secrets(Collection<String> values) {
        this.values = List.copyOf(new LinkedHashSet<>(values));
        Set<String> parts = new LinkedHashSet<>();
        for (String value : this.values) {
            parts.addAll(parts(value));
        }
        List<String> sorted = new ArrayList<>(parts);
        sorted.removeIf(p -> p.length() < MIN_FRAGMENT);
        // longest first, so a full value is masked before its credentials part
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        this.fragments = List.copyOf(sorted);
        this.pattern = sorted.isEmpty()
                ? null
                : Pattern.compile(
                        String.join("|", sorted.stream().map(Pattern::quote).toList()),
                        Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    /** These values (blank ones are ignored). */
    public static Secrets of(Collection<String> values) {
        List<String> kept = new ArrayList<>();
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                kept.add(v.trim());
            }
        }
        return kept.isEmpty() ? NONE : new Secrets(kept);
    }

    /** These secrets and those values together. */
    public Secrets with(Collection<String> more) {
        List<String> all = new ArrayList<>(values);
        all.addAll(more);
        return of(all);
    }

    /** The secret values themselves (not their parts). */
    public List<String> values() {
        return values;
    }

    /** True when the text is, or holds, a secret or a recognisable part of one. */
    public boolean appearsIn(String text) {
        return text != null && pattern != null && pattern.matcher(text).find();
    }

    /** The text with every secret, and every recognisable part of one, replaced by {@value Redaction#REDACTED}. */
    public String scrub(String text) {
        if (text == null || pattern == null) {
            return text;
        }
        return pattern.matcher(text).replaceAll(Matcher.quoteReplacement(Redaction.REDACTED));
    }

    /**
     * Like {@link #scrub}, for text that was cut (at its end) from a longer one, such as the start
     * of a response body: a secret the cut split in two leaves its beginning at the end of the
     * text, which is masked too.
     */
    public String scrubCut(String text) {
        String out = scrub(text);
        if (out == null || pattern == null) {
            return out;
        }
        String tail = out.endsWith("…") ? "…" : "";
        String body = out.substring(0, out.length() - tail.length());
        String lower = body.toLowerCase(Locale.ROOT);
        for (String fragment : fragments) {
            String f = fragment.toLowerCase(Locale.ROOT);
            for (int n = f.length() - 1; n >= MIN_FRAGMENT; n--) {
                if (lower.endsWith(f.substring(0, n))) {
                    return body.substring(0, body.length() - n) + Redaction.REDACTED + tail;
                }
            }
        }
        return out;
    }

    private static List<String> parts(String value) {
        List<String> parts = new ArrayList<>();
        parts.add(value);
        parts.add(URLEncoder.encode(value, StandardCharsets.UTF_8));
        int space = value.indexOf(' ');
        if (space > 0) {
            // "Bearer abc…": an echo may show the credentials without the scheme
            String credentials = value.substring(space + 1).trim();
            parts.add(credentials);
            if (value.regionMatches(true, 0, "Basic ", 0, 6)) {
                parts.addAll(basic(credentials));
            }
        }
        if (value.contains("://")) {
            parts.addAll(url(value));
        }
        return parts;
    }

    private static List<String> basic(String encoded) {
        try {
            String userPassword = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            int colon = userPassword.indexOf(':');
            return colon < 0 ? List.of(userPassword) : List.of(userPassword, userPassword.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            return List.of();
        }
    }

    // A URL from a reference may hold its secret anywhere: user info, path (webhook URLs), query.
    private static List<String> url(String value) {
        try {
            URI uri = new URI(value.trim());
            List<String> parts = new ArrayList<>();
            if (uri.getRawUserInfo() != null) {
                parts.add(uri.getRawUserInfo());
            }
            if (uri.getRawPath() != null && uri.getRawPath().length() > 1) {
                parts.add(uri.getRawPath());
            }
            if (uri.getRawQuery() != null) {
                for (String param : uri.getRawQuery().split("&")) {
                    int eq = param.indexOf('=');
                    parts.add(eq < 0 ? param : param.substring(eq + 1));
                }
            }
            return parts;
        } catch (java.net.URISyntaxException e) {
            return List.of();
        }
    }

    @Override
    public String toString() {
        return "Secrets[" + values.size() + " values]";
    }
}
