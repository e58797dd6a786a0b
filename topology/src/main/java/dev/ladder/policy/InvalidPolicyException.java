package dev.ladder.policy;

import java.util.List;

/**
 * A retry policy or topology setting that cannot work: the one exception every Ladder setting
 * throws, carrying the setting at fault (in the configuration file's spelling), the problem and
 * what is allowed instead.
 */
public class InvalidPolicyException extends IllegalArgumentException {

    private final String setting;
    private final String problem;
    private final String allowed;

    /**
     * @param setting the setting at fault, e.g. {@code retry.tiers[1].delay}
     * @param problem what is wrong, e.g. {@code is 0s}
     * @param allowed what would be accepted instead, or null
     */
    public InvalidPolicyException(String setting, String problem, String allowed) {
        this(
                setting,
                problem,
                allowed,
                setting + " " + problem + (allowed == null ? "" : "; allowed: " + allowed),
                null);
    }

    /** For subclasses that word the message themselves (e.g. with the setting's origin). */
    protected InvalidPolicyException(String setting, String problem, String allowed, String message, Throwable cause) {
        super(message, cause);
        this.setting = setting;
        this.problem = problem;
        this.allowed = allowed;
    }

    /** The setting at fault, in the configuration file's spelling. */
    public String setting() {
        return setting;
    }

    /** What is wrong with it, e.g. {@code is 0s}. */
    public String problem() {
        return problem;
    }

    /** What would be accepted instead; null when nothing more can be said. */
    public String allowed() {
        return allowed;
    }

    /**
     * Throws the first of {@code problems}, carrying the others as suppressed exceptions (so a
     * stack trace lists them all); does nothing when there are none.
     */
    public static void throwIfAny(List<InvalidPolicyException> problems) {
        if (problems.isEmpty()) {
            return;
        }
        InvalidPolicyException first = problems.get(0);
        problems.subList(1, problems.size()).forEach(first::addSuppressed);
        throw first;
    }
}
