package dev.ladder.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LadderSettingsProblemsTest {

    @Test
    void shouldReportEveryProblemAtOnceEachWithKeyProblemAndAllowed() {
        // given six mistakes in the settings, the retry policy, the breaker and the topic names
        LadderSettings.Builder builder = LadderSettings.builder("orders")
                .policy(RetryPolicy.of(Tier.of(Duration.ofMillis(500), 1)).withJitter(2))
                .deadLetterTopicPattern("{main} dlt")
                .history(new LadderSettings.HistoryLimits(3, 0, 1_000, 4_000))
                .breaker(new BreakerSettings(true, 0, 1, 0.8, Duration.ofSeconds(5), Duration.ZERO, 5))
                .rateLimit(new RateLimitSettings(-1, true, 50));

        // when
        var problems = builder.problems();

        // then
        assertThat(problems)
                .extracting(InvalidPolicyException::setting)
                .containsExactlyInAnyOrder(
                        "topics.naming.dead-letter",
                        "retry.tiers[0].delay",
                        "retry.backoff.jitter",
                        "error-history.keep-last",
                        "breaker.window",
                        "breaker.probe-interval",
                        "rate-limit.calls-per-second");
        assertThat(problems).allSatisfy(p -> {
            assertThat(p.problem()).isNotBlank();
            assertThat(p.allowed()).isNotBlank();
            assertThat(p.getMessage()).isEqualTo(p.setting() + " " + p.problem() + "; allowed: " + p.allowed());
        });
        assertThat(problems)
                .filteredOn(p -> p.setting().equals("breaker.probe-interval"))
                .singleElement()
                .satisfies(p -> assertThat(p.problem()).isEqualTo("is 0ms"));
        assertThatThrownBy(builder::build)
                .isInstanceOf(InvalidPolicyException.class)
                .satisfies(e -> assertThat(e.getSuppressed()).hasSize(problems.size() - 1));
    }

    @Test
    void shouldShowDurationsInTheShortForm() {
        assertThatThrownBy(() -> LadderSettings.builder("orders")
                        .maxRetryAfter(Duration.ofDays(8))
                        .build())
                .hasMessage("retry.max-retry-after is 8d; allowed: a positive duration of at most 7d, e.g. 15m");
    }

    @Test
    void shouldTurnTheBreakerOnByDefaultAsTheConfigurationFileDoes() {
        assertThat(LadderSettings.builder("orders").build().breaker()).isEqualTo(BreakerSettings.defaults());
    }

    @Test
    void shouldNotCheckTheBreakerWhenItIsOff() {
        BreakerSettings off = new BreakerSettings(false, 0, 0, 0, Duration.ZERO, Duration.ZERO, 0);

        assertThat(off.problems()).isEmpty();
        assertThat(off.withEnabled(true).problems()).hasSize(6);
    }
}
