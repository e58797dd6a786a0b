package dev.ladder.config;

import dev.ladder.policy.InvalidPolicyException;
import dev.ladder.text.Secrets;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A configuration that cannot work: the settings' own {@link InvalidPolicyException} with where
 * the key came from. The message names the key (in the file's spelling, e.g.
 * {@code retry.tiers[1].delay}), its origin (a file line or an environment variable), what is
 * wrong and what is allowed, so the fix is obvious from the startup log alone.
 *
 * <p>A file with several mistakes gives one exception listing them all ({@link #errors()}), one
 * per line, so they are fixed in one go rather than one run each.
 */
public class ConfigException extends InvalidPolicyException {

    private final String where;
    private final List<ConfigException> errors;

    /**
     * @param key the key path at fault, e.g. {@code retry.tiers[1].delay}
     * @param problem what is wrong, e.g. {@code is 'soon'}
     * @param allowed what would be accepted instead
     */
    public ConfigException(String key, String problem, String allowed) {
        this(key, null, problem, allowed, null);
    }

    ConfigException(String key, String where, String problem, String allowed, Throwable cause) {
        super(key, problem, allowed, message(key, where, problem, allowed), cause);
        this.where = where;
        this.errors = List.of();
    }

    private ConfigException(List<ConfigException> all) {
        super(all.get(0).key(), all.get(0).problem(), all.get(0).allowed(), message(all), null);
        this.where = all.get(0).where;
        this.errors = List.copyOf(all);
    }

    /** One exception for {@code all} (at least one): the error itself when it is alone. */
    static ConfigException of(List<ConfigException> all) {
        return all.size() == 1 ? all.get(0) : new ConfigException(all);
    }

    /** A settings problem as a configuration error with its origin. */
    static ConfigException of(InvalidPolicyException e, String where) {
        if (e instanceof ConfigException c) {
            return c.at(where);
        }
        return new ConfigException(e.setting(), where, e.problem(), e.allowed(), null);
    }

    /** The key path at fault (of the first error), in the configuration file's spelling. */
    public String key() {
        return setting();
    }

    /** Where the key came from, e.g. {@code ladder.yaml:12} or an environment variable; or null. */
    public String where() {
        return where;
    }

    /** Every error this exception reports, in file order: itself alone, or each of a list. */
    public List<ConfigException> errors() {
        return errors.isEmpty() ? List.of(this) : errors;
    }

    /** The same error with its origin (e.g. {@code line 12}) added, unless it has one. */
    ConfigException at(String origin) {
        if (origin == null || where != null || !errors.isEmpty()) {
            return this;
        }
        return new ConfigException(key(), origin, problem(), allowed(), getCause());
    }

    /** The same error with every secret value redacted from its message. */
    ConfigException scrubbed(Secrets secrets) {
        return map(secrets::scrub);
    }

    /** The same error(s) with {@code edit} applied to each problem and allowed text. */
    ConfigException map(UnaryOperator<String> edit) {
        if (!errors.isEmpty()) {
            return of(errors.stream().map(e -> e.map(edit)).toList());
        }
        String problem = edit.apply(problem());
        String allowed = allowed() == null ? null : edit.apply(allowed());
        if (problem.equals(problem()) && (allowed == null || allowed.equals(allowed()))) {
            return this;
        }
        return new ConfigException(key(), where, problem, allowed, getCause());
    }

    private static String message(String key, String where, String problem, String allowed) {
        StringBuilder text = new StringBuilder();
        if (where != null) {
            text.append(where).append(": ");
        }
        text.append(key).append(' ').append(problem);
        if (allowed != null) {
            text.append("; allowed: ").append(allowed);
        }
        return text.toString();
    }

    private static String message(List<ConfigException> all) {
        StringBuilder text = new StringBuilder(all.size() + " configuration errors:");
        all.forEach(e -> text.append(System.lineSeparator()).append("  ").append(e.getMessage()));
        return text.toString();
    }
}
