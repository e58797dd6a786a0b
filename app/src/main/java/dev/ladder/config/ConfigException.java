package dev.ladder.config;

/**
 * A configuration that cannot work. The message names the key (in the file's spelling, e.g.
 * {@code retry.tiers[1].delay}), where it came from (a file line or an environment variable),
 * what is wrong and what is allowed, so the fix is obvious from the startup log alone.
 */
public class ConfigException extends RuntimeException {

    private final String key;

    /**
     * @param key the key path at fault, e.g. {@code retry.tiers[1].delay}
     * @param problem what is wrong, e.g. {@code is 'soon'}
     * @param allowed what would be accepted instead
     */
    public ConfigException(String key, String problem, String allowed) {
        this(key, null, problem, allowed, null);
    }

    ConfigException(String key, String where, String problem, String allowed, Throwable cause) {
        super(message(key, where, problem, allowed), cause);
        this.key = key;
    }

    private ConfigException(ConfigException original, String message) {
        super(message, original.getCause());
        this.key = original.key;
    }

    /** The key path at fault, in the configuration file's spelling. */
    public String key() {
        return key;
    }

    /** The same error with its origin (e.g. {@code line 12}) added in front. */
    ConfigException at(String where) {
        return where == null ? this : new ConfigException(this, where + ": " + getMessage());
    }

    /** The same error with every secret value redacted from its message. */
    ConfigException scrubbed(Secrets secrets) {
        String message = secrets.scrub(getMessage());
        return message.equals(getMessage()) ? this : new ConfigException(this, message);
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
}
