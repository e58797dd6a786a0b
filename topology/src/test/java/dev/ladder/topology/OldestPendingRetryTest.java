package dev.ladder.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.downstream.DownstreamGate;
import dev.ladder.downstream.Permit;
import dev.ladder.handler.Outcome;
import dev.ladder.kernel.LadderMetrics;
import dev.ladder.policy.BreakerSettings;
import dev.ladder.policy.LadderSettings;
import dev.ladder.policy.LiveSettings;
import dev.ladder.policy.RateLimitSettings;
import dev.ladder.policy.RetryPolicy;
import dev.ladder.policy.Tier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ladder_retry_oldest_pending_seconds}: how long the retry that fell due first has been due
 * without starting, the on-call dashboard's "oldest pending retry"; and {@code ladder_tier_pending},
 * its backlog per tier.
 */
class OldestPendingRetryTest {

    @TempDir
    Path stateDir;

    /** A gate that lets every call through, or holds every due retry while {@code closed}. */
    static final class SwitchableGate implements DownstreamGate {
        private final DownstreamGate open = DownstreamGate.unlimited();
        volatile boolean closed;

        @Override
        public Permit acquire(long now, long previousFailureAt) {
            return open.acquire(now, previousFailureAt);
        }

        @Override
        public void record(Permit.Call permit, Outcome outcome, long now) {
            open.record(permit, outcome, now);
        }

        @Override
        public boolean blocked(long now) {
            return closed;
        }

        @Override
        public State state(long now) {
            return closed ? State.OPEN : State.CLOSED;
        }

        @Override
        public void update(BreakerSettings breaker, RateLimitSettings rateLimit) {}
    }

    @ParameterizedTest
    @ValueSource(strings = {StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE})
    void shouldShowHowLongADueRetryHasWaited(String guarantee) {
        // given an event whose first attempt fails, its retry due 1 s later, and a gate that holds it
        LadderSettings settings = LadderSettings.builder("orders")
                .policy(RetryPolicy.of(Tier.of(Duration.ofSeconds(1), 1)))
                .build();
        ScriptedHandler handler =
                new ScriptedHandler(event -> event.attempt() == 1 ? Outcome.retry("503") : Outcome.success());
        SwitchableGate gate = new SwitchableGate();
        try (LadderDriver ladder =
                new LadderDriver(new LiveSettings(settings), handler, gate, guarantee, stateDir, LadderDriver.START)) {
            ladder.send("k", "v", new RecordHeader("event-id", "e1".getBytes(StandardCharsets.UTF_8)));
            gate.closed = true;
            assertThat(oldestPending(ladder)).isZero();

            // when 5 s pass while the gate holds it
            ladder.advance(Duration.ofSeconds(5));

            // then the gauge shows the 4 s it has been due, and the tier's backlog holds it
            assertThat(oldestPending(ladder)).isBetween(3.0, 4.5);
            assertThat(tierPending(ladder, "orders-retry-1s")).isEqualTo(1.0);
            assertThat(tierPending(ladder, "orders")).isZero();

            // and when the gate lets it run, it is gone
            gate.closed = false;
            ladder.advance(Duration.ofSeconds(2));
            assertThat(handler.calls()).hasSize(2);
            assertThat(oldestPending(ladder)).isZero();
            assertThat(tierPending(ladder, "orders-retry-1s")).isZero();
        }
    }

    private static double tierPending(LadderDriver ladder, String topic) {
        return ladder.metrics()
                .registry()
                .get(LadderMetrics.TIER_PENDING)
                .tag("topic", topic)
                .gauge()
                .value();
    }

    private static double oldestPending(LadderDriver ladder) {
        return ladder.metrics()
                .registry()
                .get(LadderMetrics.OLDEST_PENDING)
                .gauge()
                .value();
    }
}
