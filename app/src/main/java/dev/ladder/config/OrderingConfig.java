package dev.ladder.config;

import dev.ladder.policy.LadderSettings;
import dev.ladder.policy.LadderSettings.DeadKeyPolicy;
import dev.ladder.policy.LadderSettings.Ordering;

/**
 * The {@code ordering:} section. Its values are the library's own enums, spelled in kebab case.
 *
 * @param mode {@code per-key} (later events of a key wait while an earlier one retries) or
 *     {@code none}; default {@link LadderSettings#DEFAULT_ORDERING}
 * @param onDeadLetter what a key's waiting events do when its head is dead-lettered:
 *     {@code release} (go on) or {@code hold} (stay blocked until an operator releases the key);
 *     default {@link LadderSettings#DEFAULT_ON_DEAD_LETTER}
 */
public record OrderingConfig(Ordering mode, DeadKeyPolicy onDeadLetter) {

    public OrderingConfig {
        mode = mode == null ? LadderSettings.DEFAULT_ORDERING : mode;
        onDeadLetter = onDeadLetter == null ? LadderSettings.DEFAULT_ON_DEAD_LETTER : onDeadLetter;
    }
}
