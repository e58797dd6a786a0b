package dev.ladder.config;

import dev.ladder.kernel.LadderHeaders;
import dev.ladder.policy.LadderSettings;
import java.time.Duration;

/**
 * The {@code idempotency:} section: how duplicates are recognised.
 *
 * @param header the record header carrying the event id; without it on a record, the id is its
 *     first topic-partition-offset; default {@code event-id}
 * @param retention how long finished event ids are remembered for duplicate detection; default
 *     {@link LadderSettings#DEFAULT_IDEMPOTENCY_RETENTION} (7d)
 */
public record IdempotencyConfig(String header, Duration retention) {

    public IdempotencyConfig {
        header = header == null ? LadderHeaders.DEFAULT_EVENT_ID : header;
        retention = retention == null ? LadderSettings.DEFAULT_IDEMPOTENCY_RETENTION : retention;
    }
}
