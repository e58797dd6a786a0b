package dev.ladder.retry;

/** A retry policy or topology setting that cannot work, with the setting named and the fix. */
public class InvalidPolicyException extends IllegalArgumentException {

    private final String setting;

    public InvalidPolicyException(String setting, String problem, String allowed) {
        super(setting + " " + problem + "; allowed: " + allowed);
        this.setting = setting;
    }

    /** The setting at fault, in the configuration file's spelling. */
    public String setting() {
        return setting;
    }
}
