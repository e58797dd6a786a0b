package dev.ladder.config;

import java.time.Duration;

/**
 * The {@code retry.immediate:} section: quick re-tries inside one attempt, for one-off glitches,
 * before the event goes to a tier.
 *
 * @param attempts number of immediate re-tries, 0 or more; default 0
 * @param pause pause between immediate re-tries; default 100ms
 */
public record ImmediateConfig(Integer attempts, Duration pause) {

    public ImmediateConfig {
        attempts = attempts == null ? 0 : attempts;
        pause = pause == null ? Duration.ofMillis(100) : pause;
    }
}
