package dev.ladder.config;

/**
 * The {@code topics:} section: which topic to consume and how the others are named.
 *
 * @param main the topic events are consumed from; required
 * @param output whether successes are written to the output topic; default false
 * @param naming patterns of the retry, dead-letter and output topic names
 */
public record TopicsConfig(String main, Boolean output, TopicNamingConfig naming) {

    public TopicsConfig {
        output = output != null && output;
        naming = naming == null ? new TopicNamingConfig(null, null, null) : naming;
    }
}
