package dev.ladder.policy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;

/**
 * Every topic name Ladder uses, derived in exactly one place.
 *
 * <p>Patterns may use {@code {main}} (the main topic), {@code {delay}} (a tier's delay as
 * {@code 30s}, {@code 1m}, {@code 2h}, {@code 1d} or {@code 500ms}) and {@code {index}} (the
 * tier's 1-based position). Defaults follow the common convention: {@code <main>-retry-<delay>},
 * {@code <main>-dlt}, {@code <main>-out}.
 */
public final class TopicNames {

    /** Default pattern of a tier topic. */
    public static final String DEFAULT_RETRY_PATTERN = "{main}-retry-{delay}";
    /** Default pattern of the dead-letter topic. */
    public static final String DEFAULT_DLT_PATTERN = "{main}-dlt";
    /** Default pattern of the success output topic. */
    public static final String DEFAULT_OUTPUT_PATTERN = "{main}-out";

    private final String main;
    private final List<String> tiers;
    private final String deadLetter;
    private final String output;

    private TopicNames(String main, List<String> tiers, String deadLetter, String output) {
        this.main = main;
        this.tiers = List.copyOf(tiers);
        this.deadLetter = deadLetter;
        this.output = output;
    }

    /** Names with the default patterns and no output topic. */
    public static TopicNames of(String main, List<Tier> tiers) {
        return of(main, tiers, DEFAULT_RETRY_PATTERN, DEFAULT_DLT_PATTERN, null);
    }

    /**
     * Names from patterns.
     *
     * @param outputPattern pattern of the success output topic, or null for none
     * @throws InvalidPolicyException when a name is not a legal Kafka topic name or two coincide
     */
    public static TopicNames of(
            String main, List<Tier> tiers, String retryPattern, String dltPattern, String outputPattern) {
        if (main == null || main.isBlank()) {
            throw new InvalidPolicyException("topics.main", "is missing", "the name of the topic to consume");
        }
        check("topics.main", main);
        List<String> tierNames = new ArrayList<>();
        for (int i = 0; i < tiers.size(); i++) {
            String name = expand(retryPattern, main, tiers.get(i).delay(), i + 1);
            check("topics.naming.retry", name);
            tierNames.add(name);
        }
        String dlt = expand(dltPattern, main, null, 0);
        check("topics.naming.dead-letter", dlt);
        String out = outputPattern == null ? null : expand(outputPattern, main, null, 0);
        if (out != null) {
            check("topics.naming.output", out);
        }
        Set<String> seen = new LinkedHashSet<>();
        List<String> all = new ArrayList<>(tierNames);
        all.add(0, main);
        all.add(dlt);
        if (out != null) {
            all.add(out);
        }
        for (String name : all) {
            if (!seen.add(name)) {
                throw new InvalidPolicyException(
                        "topics.naming",
                        "gives the topic name " + name + " twice",
                        "distinct names: tiers with the same delay need {index} in topics.naming.retry");
            }
        }
        return new TopicNames(main, tierNames, dlt, out);
    }

    /** The topic events are consumed from. */
    public String main() {
        return main;
    }

    /** The topic of tier {@code index} (1-based). */
    public String tier(int index) {
        return tiers.get(index - 1);
    }

    /** All tier topics in climbing order. */
    public List<String> tiers() {
        return tiers;
    }

    /** The dead-letter topic. */
    public String deadLetter() {
        return deadLetter;
    }

    /** The success output topic, when one is configured. */
    public Optional<String> output() {
        return Optional.ofNullable(output);
    }

    /** The main topic and every tier topic: the topology's sources. */
    public List<String> sources() {
        List<String> sources = new ArrayList<>(tiers.size() + 1);
        sources.add(main);
        sources.addAll(tiers);
        return sources;
    }

    /** Every topic Ladder writes to: tiers, dead-letter and output. */
    public List<String> sinks() {
        List<String> sinks = new ArrayList<>(tiers);
        sinks.add(deadLetter);
        output().ifPresent(sinks::add);
        return sinks;
    }

    /** 1-based tier of a source topic, 0 for the main topic, -1 for any other topic. */
    public int tierOf(String topic) {
        if (main.equals(topic)) {
            return 0;
        }
        int index = tiers.indexOf(topic);
        return index < 0 ? -1 : index + 1;
    }

    /** A duration in the short form used in topic names: 500ms, 30s, 5m, 2h, 1d. */
    public static String formatDelay(Duration delay) {
        long ms = delay.toMillis();
        if (ms % 86_400_000L == 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms % 3_600_000L == 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms % 60_000L == 0) {
            return ms / 60_000L + "m";
        }
        if (ms % 1_000L == 0) {
            return ms / 1_000L + "s";
        }
        return ms + "ms";
    }

    private static String expand(String pattern, String main, Duration delay, int index) {
        String name = pattern.replace("{main}", main).replace("{index}", Integer.toString(index));
        return delay == null ? name : name.replace("{delay}", formatDelay(delay));
    }

    private static void check(String setting, String name) {
        try {
            Topic.validate(name);
        } catch (InvalidTopicException e) {
            throw new InvalidPolicyException(
                    setting,
                    "gives the illegal topic name '" + name + "' (" + e.getMessage() + ")",
                    "letters, digits, '.', '_' and '-', at most 249 characters");
        }
    }

    @Override
    public String toString() {
        return "TopicNames{main=" + main + ", tiers=" + tiers + ", dlt=" + deadLetter + ", output=" + output + "}";
    }
}
