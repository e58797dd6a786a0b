package dev.ladder.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.ladder.topology.LadderSettings;

/**
 * The {@code ordering:} section.
 *
 * @param mode {@code per-key} (later events of a key wait while an earlier one retries) or
 *     {@code none}; default per-key
 * @param onDeadLetter what a key's waiting events do when its head is dead-lettered:
 *     {@code release} (go on) or {@code hold} (stay blocked until an operator releases the key);
 *     default release
 */
public record OrderingConfig(Mode mode, OnDeadLetter onDeadLetter) {

    /** Ordering modes. */
    public enum Mode {
        /** Per-key ordering. */
        @JsonProperty("per-key")
        PER_KEY,
        /** No ordering. */
        @JsonProperty("none")
        NONE
    }

    /** What happens to a key's followers when its head is dead-lettered. */
    public enum OnDeadLetter {
        /** The followers go on. */
        @JsonProperty("release")
        RELEASE,
        /** The key stays blocked. */
        @JsonProperty("hold")
        HOLD
    }

    public OrderingConfig {
        mode = mode == null ? Mode.PER_KEY : mode;
        onDeadLetter = onDeadLetter == null ? OnDeadLetter.RELEASE : onDeadLetter;
    }

    LadderSettings.Ordering toOrdering() {
        return mode == Mode.NONE ? LadderSettings.Ordering.NONE : LadderSettings.Ordering.PER_KEY;
    }

    LadderSettings.DeadKeyPolicy toDeadKeyPolicy() {
        return onDeadLetter == OnDeadLetter.HOLD
                ? LadderSettings.DeadKeyPolicy.HOLD
                : LadderSettings.DeadKeyPolicy.RELEASE;
    }
}
