package dev.ladder.config;

import dev.ladder.policy.TopicNames;

/**
 * The {@code topics.naming:} section. Patterns may use {@code {main}}, {@code {delay}} (e.g.
 * {@code 5m}) and {@code {index}} (the tier's 1-based position).
 *
 * @param retry pattern of a tier topic; default {@code {main}-retry-{delay}}
 * @param deadLetter pattern of the dead-letter topic; default {@code {main}-dlt}
 * @param output pattern of the success output topic; default {@code {main}-out}
 */
public record TopicNamingConfig(String retry, String deadLetter, String output) {

    public TopicNamingConfig {
        retry = retry == null ? TopicNames.DEFAULT_RETRY_PATTERN : retry;
        deadLetter = deadLetter == null ? TopicNames.DEFAULT_DLT_PATTERN : deadLetter;
        output = output == null ? TopicNames.DEFAULT_OUTPUT_PATTERN : output;
    }
}
