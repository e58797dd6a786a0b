package dev.ladder.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladder.handler.Outcome;
import dev.ladder.policy.InvalidPolicyException;
import dev.ladder.policy.LadderSettings;
import dev.ladder.policy.LiveSettings;
import dev.ladder.policy.RetryPolicy;
import dev.ladder.policy.Tier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Settings that do not shape the topology change without a restart; the others are refused. */
class LiveSettingsTest {

    @TempDir
    Path stateDir;

    private static LadderSettings withTiers(Tier... tiers) {
        return LadderSettings.builder("orders").policy(RetryPolicy.of(tiers)).build();
    }

    @Test
    void shouldApplyANewTierDelayAndKeepTheTopicNames() {
        // given
        LiveSettings live = new LiveSettings(withTiers(Tier.of(Duration.ofMinutes(1), 3)));

        // when
        List<String> changes = live.update(withTiers(Tier.of(Duration.ofMinutes(2), 5)));

        // then
        assertThat(changes).singleElement().asString().startsWith("retry:");
        assertThat(live.get().policy().tier(1)).isEqualTo(Tier.of(Duration.ofMinutes(2), 5));
        assertThat(live.get().topics().tier(1)).isEqualTo("orders-retry-1m");
    }

    @Test
    void shouldApplyANewMaxRetryAfterWithoutARestart() {
        // given
        LiveSettings live = new LiveSettings(LadderSettings.builder("orders").build());

        // when
        List<String> changes = live.update(LadderSettings.builder("orders")
                .maxRetryAfter(Duration.ofHours(1))
                .build());

        // then
        assertThat(changes).containsExactly("retry.max-retry-after: PT15M -> PT1H");
        assertThat(live.get().maxRetryAfter()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void shouldApplyAShorterHandlerTimeoutAndConcurrencyLiveButRefuseOneTheTransactionCannotHold() {
        // given a topology started with the default 30 s handler timeout (a 75 s transaction timeout)
        LiveSettings live = new LiveSettings(LadderSettings.builder("orders").build());

        // when the timeout shrinks and the concurrency grows, both apply at once
        List<String> changes = live.update(LadderSettings.builder("orders")
                .handlerTimeout(Duration.ofSeconds(10))
                .concurrency(128)
                .build());
        assertThat(changes).containsExactly("handler.timeout: PT30S -> PT10S", "handler.concurrency: 64 -> 128");

        // then a timeout longer than the running transaction timeout allows needs a restart
        assertThatThrownBy(() -> live.update(LadderSettings.builder("orders")
                        .handlerTimeout(Duration.ofMinutes(5))
                        .build()))
                .isInstanceOf(LiveSettings.RestartRequiredException.class)
                .hasMessageContaining("transaction timeout of 615000 ms, started with 75000 ms");
        assertThat(live.get().handlerTimeout()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void shouldRefuseAddingATierWithAMessageThatSaysARestartIsNeeded() {
        // given
        LiveSettings live = new LiveSettings(withTiers(Tier.of(Duration.ofMinutes(1), 3)));

        // when / then
        assertThatThrownBy(() ->
                        live.update(withTiers(Tier.of(Duration.ofMinutes(1), 3), Tier.of(Duration.ofMinutes(5), 1))))
                .isInstanceOf(LiveSettings.RestartRequiredException.class)
                .hasMessageContaining("need a restart")
                .hasMessageContaining("retry.tiers (count): 1 -> 2");
        assertThat(live.get().policy().tiers()).hasSize(1);
    }

    @Test
    void shouldApplyAShorterIdempotencyRetentionLiveAndRefuseALongerOne() {
        // given a topology built with a 7-day idempotency retention
        LiveSettings live = new LiveSettings(LadderSettings.builder("orders")
                .idempotencyRetention(Duration.ofDays(7))
                .build());

        // when it is cut to 1 day, then that applies at once
        live.update(LadderSettings.builder("orders")
                .idempotencyRetention(Duration.ofDays(1))
                .build());
        assertThat(live.get().idempotencyRetention()).isEqualTo(Duration.ofDays(1));

        // and back up to the 7 days the finished-ids store keeps, too
        live.update(LadderSettings.builder("orders")
                .idempotencyRetention(Duration.ofDays(7))
                .build());

        // but beyond them it needs a restart: the store drops what is older than it was built for
        assertThatThrownBy(() -> live.update(LadderSettings.builder("orders")
                        .idempotencyRetention(Duration.ofDays(14))
                        .build()))
                .isInstanceOf(LiveSettings.RestartRequiredException.class)
                .hasMessageContaining("idempotency.retention longer than the 168h");
        assertThat(live.get().idempotencyRetention()).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void shouldKeepTheOldSettingsWhenTheNewOnesAreInvalid() {
        // given a live punctuation interval of 1 s
        LiveSettings live = new LiveSettings(withTiers(Tier.of(Duration.ofMinutes(1), 3)));
        LadderSettings old = live.get();
        LadderSettings invalid = new LadderSettings(
                old.topics(),
                RetryPolicy.of(Tier.of(Duration.ofMillis(10), 3)),
                old.ordering(),
                old.onDeadLetter(),
                old.eventIdHeader(),
                old.idempotencyRetention(),
                old.punctuationInterval(),
                old.handlerTimeout(),
                old.history(),
                old.breaker(),
                old.rateLimit(),
                old.maxCheckpointBytes(),
                old.maxRetryAfter(),
                LadderSettings.DEFAULT_CONCURRENCY,
                old.deadLetterRetention(),
                old.maxMessageBytes());

        // when / then
        assertThatThrownBy(() -> live.update(invalid))
                .isInstanceOf(InvalidPolicyException.class)
                .hasMessageContaining("retry.tiers[0].delay");
        assertThat(live.get()).isSameAs(old);
    }

    @Test
    void shouldUseTheNewDelayForTheNextRetryOfARunningTopology() {
        // given a running topology with a 1-minute tier, and an event that keeps failing
        LiveSettings live = new LiveSettings(withTiers(Tier.of(Duration.ofMinutes(1), 3)));
        ScriptedHandler handler = new ScriptedHandler(e -> Outcome.retry("down"));
        try (LadderDriver ladder =
                new LadderDriver(live, handler, null, StreamsConfig.EXACTLY_ONCE_V2, stateDir, LadderDriver.START)) {
            ladder.send("k", "v");

            // when the delay becomes 10 minutes before the next retry is scheduled
            live.update(withTiers(Tier.of(Duration.ofMinutes(10), 3)));
            // (a loaded machine makes the first attempt itself take a moment of real time: keep slack)
            ladder.advanceInSteps(Duration.ofSeconds(70));
            assertThat(handler.calls()).hasSize(2);
            ladder.advanceInSteps(Duration.ofMinutes(8));

            // then the retry scheduled after the change waits the new delay
            assertThat(handler.calls()).hasSize(2);
            ladder.advanceInSteps(Duration.ofMinutes(2).plusSeconds(10));
            assertThat(handler.calls()).hasSize(3);
        }
    }
}
