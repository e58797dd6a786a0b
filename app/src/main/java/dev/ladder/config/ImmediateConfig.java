package dev.ladder.config;

import dev.ladder.policy.LadderSettings;
import dev.ladder.policy.RetryPolicy;
import java.time.Duration;

/**
 * The {@code retry.immediate:} section: quick re-tries inside one attempt, for one-off glitches,
 * before the event goes to a tier.
 *
 * @param attempts number of immediate re-tries, 0 or more; default 0
 * @param pause pause between immediate re-tries; default {@link RetryPolicy#DEFAULT_IMMEDIATE_PAUSE}
 *     (100ms)
 */
public record ImmediateConfig(Integer attempts, Duration pause) {

    public ImmediateConfig {
        attempts = attempts == null ? LadderSettings.DEFAULT_POLICY.immediateRetries() : attempts;
        pause = pause == null ? RetryPolicy.DEFAULT_IMMEDIATE_PAUSE : pause;
    }
}
