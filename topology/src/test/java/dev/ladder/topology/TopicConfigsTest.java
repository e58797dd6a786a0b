package dev.ladder.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladder.policy.Backoff;
import dev.ladder.policy.InvalidPolicyException;
import dev.ladder.policy.LadderSettings;
import dev.ladder.policy.RetryPolicy;
import dev.ladder.policy.Tier;
import dev.ladder.policy.TopicConfigs;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The retention and record size limits Ladder's own topics are created and verified with. */
class TopicConfigsTest {

    @Test
    void shouldDeriveTheRecordLimitFromTheBrokerDefaultPlusTheEnvelopeRoom() {
        // given the default error-history limits (3 + 10 errors of 1,000 + 4,000 chars) and 16 KiB checkpoints
        LadderSettings settings = LadderSettings.builder("orders").build();

        // then: 13 errors x (5,000 chars x 3 bytes + 569) + DLT reason and headers 18,856 + fixed 1,785
        // + checkpoint 16,384 = 239,422 bytes of room on top of the broker's 1,048,588
        assertThat(TopicConfigs.envelopeRoom(settings.history(), settings.maxCheckpointBytes()))
                .isEqualTo(239_422);
        assertThat(settings.maxMessageBytes()).isEqualTo(1_288_010);
        assertThat(TopicConfigs.changelog(settings)).containsEntry("max.message.bytes", "1288010");
        assertThat(LadderTopology.streamsDefaults(settings)).containsEntry("producer.max.request.size", 1_288_010);
    }

    @Test
    void shouldGrowTheLimitWithTheHistoryItMustHold() {
        LadderSettings settings = LadderSettings.builder("orders")
                .history(new LadderSettings.HistoryLimits(5, 20, 2_000, 8_000))
                .build();
        assertThat(settings.maxMessageBytes()).isGreaterThan(1_288_010 + 500_000);
    }

    @Test
    void shouldKeepTierRecordsAtLeastAWeekAndTwiceTheirLongestWait() {
        // given a short tier, a tier whose 3 attempts wait up to 2 days each, and max-retry-after 15m
        LadderSettings settings = LadderSettings.builder("orders")
                .policy(RetryPolicy.of(Tier.of(Duration.ofMinutes(1), 3), Tier.of(Duration.ofDays(2), 3)))
                .build();

        // then the short tier keeps the 7-day floor, the long one 2 x 3 x 2 days
        assertThat(TopicConfigs.tierRetention(settings, 1))
                .isEqualTo(Long.toString(Duration.ofDays(7).toMillis()));
        assertThat(TopicConfigs.tierRetention(settings, 2))
                .isEqualTo(Long.toString(Duration.ofDays(12).toMillis()));
    }

    @Test
    void shouldCountBackoffCapJitterAndRetryAfterInTheWait() {
        // given an exponential backoff capped at 3 days, 50% jitter, 4 attempts
        LadderSettings settings = LadderSettings.builder("orders")
                .policy(RetryPolicy.of(Tier.of(Duration.ofHours(1), 4))
                        .withBackoff(new Backoff.Exponential(10, Duration.ofDays(3)))
                        .withJitter(0.5))
                .build();
        // then 2 x 4 x (3 days x 1.5) = 36 days
        assertThat(TopicConfigs.tierRetention(settings, 1))
                .isEqualTo(Long.toString(Duration.ofDays(36).toMillis()));
    }

    @Test
    void shouldKeepForEverBehindAnUncappedUnlimitedTier() {
        LadderSettings settings = LadderSettings.builder("orders")
                .policy(RetryPolicy.of(Tier.unlimited(Duration.ofMinutes(1)))
                        .withBackoff(new Backoff.Exponential(2, null)))
                .build();
        assertThat(TopicConfigs.tierRetention(settings, 1)).isEqualTo("-1");
    }

    @Test
    void shouldKeepDeadLettersForEverUnlessToldOtherwise() {
        LadderSettings forever = LadderSettings.builder("orders").build();
        LadderSettings ninety = LadderSettings.builder("orders")
                .deadLetterRetention(Duration.ofDays(90))
                .build();
        assertThat(TopicConfigs.forTopics(forever).get("orders-dlt"))
                .isEqualTo(Map.of("retention.ms", "-1", "max.message.bytes", "1288010"));
        assertThat(TopicConfigs.deadLetterRetention(ninety))
                .isEqualTo(Long.toString(Duration.ofDays(90).toMillis()));
        assertThat(TopicConfigs.forTopics(forever))
                .containsOnlyKeys("orders-retry-1m", "orders-retry-5m", "orders-retry-30m", "orders-dlt");
    }

    @Test
    void shouldRefuseATinyRecordLimit() {
        assertThatThrownBy(() ->
                        LadderSettings.builder("orders").maxMessageBytes(1_000).build())
                .isInstanceOf(InvalidPolicyException.class)
                .hasMessageContaining("topics.max-message-bytes")
                .hasMessageContaining("1288010");
    }
}
