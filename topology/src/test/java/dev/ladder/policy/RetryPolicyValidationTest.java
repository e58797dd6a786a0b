package dev.ladder.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladder.kernel.LadderMetrics;
import dev.ladder.topology.LadderTopology;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.streams.Topology;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A policy that cannot work fails when the settings are built, and again when the topology is
 * built, with the setting named in the configuration file's spelling and what is allowed.
 */
class RetryPolicyValidationTest {

    static final String MAIN = "orders";
    static final Duration ONE_MINUTE = Duration.ofMinutes(1);

    static Stream<Arguments> invalidPolicies() {
        return Stream.of(
                Arguments.of("no tiers", RetryPolicy.of(), "retry.tiers", "at least one tier"),
                Arguments.of(
                        "zero delay",
                        RetryPolicy.of(Tier.of(ONE_MINUTE, 1), Tier.of(Duration.ZERO, 1)),
                        "retry.tiers[1].delay",
                        "a positive duration"),
                Arguments.of(
                        "negative delay",
                        RetryPolicy.of(Tier.of(Duration.ofSeconds(-5), 1)),
                        "retry.tiers[0].delay",
                        "a positive duration"),
                Arguments.of(
                        "delay below the punctuation interval",
                        RetryPolicy.of(Tier.of(Duration.ofMillis(500), 1)),
                        "retry.tiers[0].delay",
                        "at least the punctuation interval"),
                Arguments.of(
                        "zero attempts",
                        RetryPolicy.of(Tier.of(ONE_MINUTE, 1), Tier.of(Duration.ofMinutes(5), 0)),
                        "retry.tiers[1].attempts",
                        "at least 1"),
                Arguments.of(
                        "unlimited on a tier that is not the last",
                        RetryPolicy.of(Tier.unlimited(ONE_MINUTE), Tier.of(Duration.ofMinutes(5), 1)),
                        "retry.tiers[0].attempts",
                        "unlimited only on the last tier"),
                Arguments.of(
                        "jitter above 1",
                        RetryPolicy.of(Tier.of(ONE_MINUTE, 1)).withJitter(1.5),
                        "retry.backoff.jitter",
                        "a fraction from 0 to 1"),
                Arguments.of(
                        "negative jitter",
                        RetryPolicy.of(Tier.of(ONE_MINUTE, 1)).withJitter(-0.1),
                        "retry.backoff.jitter",
                        "a fraction from 0 to 1"),
                Arguments.of(
                        "NaN jitter",
                        RetryPolicy.of(Tier.of(ONE_MINUTE, 1)).withJitter(Double.NaN),
                        "retry.backoff.jitter",
                        "a fraction from 0 to 1"),
                Arguments.of(
                        "multiplier below 1",
                        RetryPolicy.of(Tier.of(ONE_MINUTE, 1)).withBackoff(new Backoff.Exponential(0.5, null)),
                        "retry.backoff.multiplier",
                        "at least 1"),
                Arguments.of(
                        "spread below 1",
                        RetryPolicy.of(Tier.of(ONE_MINUTE, 1)).withBackoff(new Backoff.Random(0.9)),
                        "retry.backoff.spread",
                        "at least 1"),
                Arguments.of(
                        "negative immediate retries",
                        RetryPolicy.of(Tier.of(ONE_MINUTE, 1)).withImmediateRetries(-1, Duration.ZERO),
                        "retry.immediate.attempts",
                        "0 or more"),
                Arguments.of(
                        "negative immediate pause",
                        RetryPolicy.of(Tier.of(ONE_MINUTE, 1)).withImmediateRetries(2, Duration.ofMillis(-1)),
                        "retry.immediate.pause",
                        "zero or a positive duration"),
                Arguments.of(
                        "zero max age",
                        RetryPolicy.of(Tier.of(ONE_MINUTE, 1)).withMaxAge(Duration.ZERO),
                        "retry.max-age",
                        "a positive duration"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidPolicies")
    void shouldRejectAnInvalidPolicyWhenTheSettingsAreBuilt(
            String why, RetryPolicy policy, String setting, String allowed) {
        // when / then
        assertRejected(() -> LadderSettings.builder(MAIN).policy(policy).build(), setting, allowed);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidPolicies")
    void shouldRejectAnInvalidPolicyWhenTheTopologyIsBuilt(
            String why, RetryPolicy policy, String setting, String allowed) {
        // given settings made without the builder, so nothing validated them yet
        LadderSettings valid = LadderSettings.builder(MAIN).build();
        LadderSettings settings = new LadderSettings(
                TopicNames.of(MAIN, policy.tiers(), "{main}-retry-{index}", TopicNames.DEFAULT_DLT_PATTERN, null),
                policy,
                valid.ordering(),
                valid.onDeadLetter(),
                valid.eventIdHeader(),
                valid.idempotencyRetention(),
                valid.punctuationInterval(),
                valid.handlerTimeout(),
                valid.history(),
                valid.breaker(),
                valid.rateLimit(),
                valid.maxCheckpointBytes(),
                valid.maxRetryAfter(),
                LadderSettings.DEFAULT_CONCURRENCY,
                valid.deadLetterRetention(),
                valid.maxMessageBytes());

        // when / then
        assertRejected(() -> LadderTopology.build(settings, event -> null, LadderMetrics.noop()), setting, allowed);
    }

    @Test
    void shouldAcceptADelayShorterThanOneSecondWithAShorterPunctuationInterval() {
        // given
        LadderSettings settings = LadderSettings.builder(MAIN)
                .policy(RetryPolicy.of(Tier.of(Duration.ofMillis(500), 3)))
                .punctuationInterval(Duration.ofMillis(100))
                .build();

        // when
        Topology topology = LadderTopology.build(settings, event -> null, LadderMetrics.noop());

        // then
        assertThat(topology.describe().toString()).contains("orders-retry-500ms");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidMaxRetryAfters")
    void shouldRejectAMaxRetryAfterThatIsNotPositiveOrLongerThanAWeek(Duration value) {
        // when / then
        assertRejected(
                () -> LadderSettings.builder(MAIN).maxRetryAfter(value).build(),
                "retry.max-retry-after",
                "a positive duration of at most 7d");
    }

    static Stream<Duration> invalidMaxRetryAfters() {
        return Stream.of(
                Duration.ZERO,
                Duration.ofSeconds(-1),
                Duration.ofDays(7).plusMillis(1),
                Duration.ofSeconds(Long.MAX_VALUE, 999_999_999));
    }

    @Test
    void shouldDefaultMaxRetryAfterToFifteenMinutesAndAcceptAWeek() {
        // then
        assertThat(LadderSettings.builder(MAIN).build().maxRetryAfter()).isEqualTo(Duration.ofMinutes(15));
        assertThat(LadderSettings.builder(MAIN)
                        .maxRetryAfter(Duration.ofDays(7))
                        .build()
                        .maxRetryAfter())
                .isEqualTo(Duration.ofDays(7));
    }

    @Test
    void shouldRejectAnIllegalTopicName() {
        // when / then
        assertRejected(() -> LadderSettings.builder("orders with spaces").build(), "topics.main", "letters, digits");
        assertRejected(
                () -> LadderSettings.builder(MAIN)
                        .retryTopicPattern("{main}/retry/{delay}")
                        .build(),
                "topics.naming.retry",
                "letters, digits");
        assertRejected(
                () -> LadderSettings.builder(MAIN)
                        .deadLetterTopicPattern("{main}-dlt-" + "x".repeat(250))
                        .build(),
                "topics.naming.dead-letter",
                "at most 249 characters");
    }

    @Test
    void shouldRejectTwoTiersWithTheSameDelayUnderTheDefaultPattern() {
        // given
        RetryPolicy policy = RetryPolicy.of(Tier.of(ONE_MINUTE, 1), Tier.of(ONE_MINUTE, 3));

        // when / then
        assertRejected(() -> LadderSettings.builder(MAIN).policy(policy).build(), "topics.naming", "{index}");
    }

    @Test
    void shouldNameTiersWithTheSameDelayApartWithTheIndexPattern() {
        // given
        RetryPolicy policy = RetryPolicy.of(Tier.of(ONE_MINUTE, 1), Tier.of(ONE_MINUTE, 3));

        // when
        LadderSettings settings = LadderSettings.builder(MAIN)
                .policy(policy)
                .retryTopicPattern("{main}-retry-{index}")
                .build();

        // then
        assertThat(settings.topics().tiers()).containsExactly("orders-retry-1", "orders-retry-2");
    }

    @Test
    void shouldRejectAnOutputTopicThatIsTheDeadLetterTopic() {
        // when / then
        assertRejected(
                () -> LadderSettings.builder(MAIN)
                        .outputTopicPattern("{main}-dlt")
                        .build(),
                "topics.naming",
                "distinct names");
    }

    @Test
    void shouldFormatDelaysInTheShortFormOfTopicNames() {
        // then
        assertThat(List.of(
                        Duration.ofMillis(500),
                        Duration.ofSeconds(30),
                        Duration.ofMinutes(5),
                        Duration.ofHours(2),
                        Duration.ofDays(1),
                        Duration.ofSeconds(90),
                        Duration.ofMillis(1_500)))
                .extracting(TopicNames::formatDelay)
                .containsExactly("500ms", "30s", "5m", "2h", "1d", "90s", "1500ms");
    }

    private static void assertRejected(
            org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String setting, String allowed) {
        AbstractThrowableAssert<?, ? extends Throwable> thrown =
                assertThatThrownBy(call).isInstanceOf(InvalidPolicyException.class);
        thrown.hasMessageStartingWith(setting + " ")
                .hasMessageContaining("allowed: ")
                .hasMessageContaining(allowed);
        thrown.extracting(e -> ((InvalidPolicyException) e).setting()).isEqualTo(setting);
    }
}
