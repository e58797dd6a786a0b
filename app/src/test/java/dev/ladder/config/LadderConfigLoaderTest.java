package dev.ladder.config;

import static dev.ladder.config.ConfigFixture.MINIMAL;
import static dev.ladder.config.ConfigFixture.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ladder.policy.Backoff;
import dev.ladder.policy.LadderSettings;
import dev.ladder.policy.Tier;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LadderConfigLoaderTest {

    @TempDir
    Path dir;

    @Test
    void shouldApplyDefaultsToAMinimalFile() {
        // when
        LadderConfig config = load(dir, MINIMAL);
        LadderSettings settings = config.toSettings();
        // then
        assertThat(config.applicationId()).isEqualTo("ladder-orders");
        assertThat(config.processingGuarantee()).isEqualTo(LadderConfig.ProcessingGuarantee.EXACTLY_ONCE_V2);
        assertThat(config.server().port()).isEqualTo(8080);
        assertThat(settings.topics().tiers()).containsExactly("orders-retry-1m", "orders-retry-5m", "orders-retry-30m");
        assertThat(settings.topics().deadLetter()).isEqualTo("orders-dlt");
        assertThat(settings.topics().output()).isEmpty();
        assertThat(settings.policy().backoff()).isEqualTo(new Backoff.Fixed());
        assertThat(settings.ordering()).isEqualTo(LadderSettings.Ordering.PER_KEY);
        assertThat(settings.eventIdHeader()).isEqualTo("event-id");
        assertThat(settings.idempotencyRetention()).isEqualTo(Duration.ofDays(7));
        assertThat(settings.handlerTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.history()).isEqualTo(LadderSettings.HistoryLimits.defaults());
    }

    @Test
    void shouldMapTiersUnlimitedAttemptsAndClassifier() {
        // given
        String yaml = MINIMAL
                + "punctuation-interval: 100ms\nretry:\n  tiers:\n    - {delay: 500ms, attempts: 2}\n    - {delay: PT30S, attempts: unlimited}\n"
                + "  non-retryable: [java.lang.IllegalArgumentException]\n  retryable: [java.io.IOException]\n  default-retryable: false\n";
        // when
        LadderSettings settings = load(dir, yaml).toSettings();
        // then
        assertThat(settings.policy().tiers())
                .containsExactly(Tier.of(Duration.ofMillis(500), 2), Tier.unlimited(Duration.ofSeconds(30)));
        assertThat(settings.topics().tiers()).containsExactly("orders-retry-500ms", "orders-retry-30s");
        assertThat(settings.policy().classifier().nonRetryable())
                .contains("java.lang.IllegalArgumentException", "java.lang.ClassCastException");
        assertThat(settings.policy().classifier().retryable()).containsExactly("java.io.IOException");
        assertThat(settings.policy().classifier().defaultRetryable()).isFalse();
    }

    @Test
    void shouldMapEachBackoffType() {
        assertThat(backoff("{type: fixed}")).isEqualTo(new Backoff.Fixed());
        assertThat(backoff("{type: linear, max-delay: 1h}")).isEqualTo(new Backoff.Linear(Duration.ofHours(1)));
        assertThat(backoff("{type: exponential, multiplier: 3, max-delay: 2h}"))
                .isEqualTo(new Backoff.Exponential(3.0, Duration.ofHours(2)));
        assertThat(backoff("{type: random, spread: 1.5}")).isEqualTo(new Backoff.Random(1.5));
    }

    @Test
    void shouldNotCapLinearBackoffWithoutMaxDelay() {
        // given: no max-delay means no cap (Backoff once capped a null max at the tier delay)
        Backoff linear = backoff("{type: linear}");
        // when
        Duration third = linear.delay(Duration.ofMinutes(1), 3, new java.util.Random(1));
        // then
        assertThat(third).isEqualTo(Duration.ofMinutes(3));
    }

    @Test
    void shouldDescribeTheEffectiveConfigInFileSpelling() {
        // when
        String described = load(dir, MINIMAL + "retry:\n  tiers:\n    - {delay: 90s, attempts: unlimited}\n")
                .describe();
        // then
        assertThat(described)
                .contains(
                        "topics.main = orders",
                        "retry.tiers[0].delay = 90s",
                        "retry.tiers[0].attempts = unlimited",
                        "processing-guarantee = exactly_once_v2",
                        "handler.class = null");
    }

    @Test
    void shouldKeepJitterAndImmediateRetries() {
        // when
        LadderSettings settings = load(
                        dir,
                        MINIMAL
                                + "retry:\n  backoff: {jitter: 0.1}\n  immediate: {attempts: 2, pause: 50ms}\n  max-age: 24h\n")
                .toSettings();
        // then
        assertThat(settings.policy().jitter()).isEqualTo(0.1);
        assertThat(settings.policy().immediateRetries()).isEqualTo(2);
        assertThat(settings.policy().immediatePause()).isEqualTo(Duration.ofMillis(50));
        assertThat(settings.policy().maxAge()).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void shouldSuggestTheNearestKeyForAnUnknownOne() {
        assertThatThrownBy(() -> load(dir, MINIMAL + "retyr:\n  max-age: 1h\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ladder.yaml:6")
                .hasMessageContaining("retyr is not a known key")
                .hasMessageContaining("did you mean 'retry'?");
    }

    @Test
    void shouldNameTheNestedPathOfAnUnknownKey() {
        assertThatThrownBy(() -> load(dir, MINIMAL + "retry:\n  backoff:\n    max-dealy: 1h\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("retry.backoff.max-dealy is not a known key")
                .hasMessageContaining("did you mean 'max-delay'?");
    }

    @Test
    void shouldExplainAWrongTypeWithoutAStackDump() {
        assertThatThrownBy(
                        () -> load(
                                dir,
                                MINIMAL
                                        + "retry:\n  tiers:\n    - {delay: 1m, attempts: 3}\n    - {delay: 5m, attempts: many}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessage(
                        "ladder.yaml:9: retry.tiers[1].attempts is 'many'; allowed: a whole number of at least 1, or 'unlimited' (last tier only)");
    }

    @Test
    void shouldExplainABadDurationAndABadChoice() {
        assertThatThrownBy(() -> load(dir, MINIMAL + "retry:\n  tiers:\n    - {delay: soon}\n"))
                .hasMessageContaining("retry.tiers[0].delay is 'soon'; allowed: a duration such as 500ms");
        assertThatThrownBy(() -> load(dir, MINIMAL + "ordering:\n  mode: sorted\n"))
                .hasMessageContaining("ordering.mode is 'sorted'; allowed: one of [per-key, none]");
        assertThatThrownBy(() -> load(dir, MINIMAL + "server:\n  port: [1]\n"))
                .hasMessageContaining("server.port has the wrong type; allowed: a whole number");
    }

    @Test
    void shouldRequireTheMainTopic() {
        assertThatThrownBy(() -> load(dir, "handler:\n  http:\n    url: http://localhost/hook\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("topics.main is missing")
                .extracting(e -> ((ConfigException) e).key())
                .isEqualTo("topics.main");
    }

    @Test
    void shouldNameTheKeyOfAnInvalidPolicy() {
        assertThatThrownBy(() -> load(dir, MINIMAL + "retry:\n  tiers:\n    - {delay: 0s}\n"))
                .hasMessageContaining("retry.tiers[0].delay is '0s'");
        assertThatThrownBy(() ->
                        load(dir, MINIMAL + "retry:\n  tiers:\n    - {delay: 1m}\n    - {delay: 5m, attempts: 0}\n"))
                .hasMessageContaining("ladder.yaml:9: retry.tiers[1].attempts is '0'");
        assertThatThrownBy(() -> load(dir, MINIMAL + "retry:\n  tiers: []\n"))
                .hasMessageContaining("retry.tiers is empty");
        assertThatThrownBy(() -> load(dir, MINIMAL + "punctuation-interval: 5s\nretry:\n  tiers:\n    - {delay: 2s}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("retry.tiers[0].delay is '2s', shorter than punctuation-interval 5s");
    }

    @Test
    void shouldReadMaxRetryAfterAndNameTheKeyWhenItIsOutOfRange() {
        assertThat(load(dir, MINIMAL).toSettings().maxRetryAfter()).isEqualTo(LadderSettings.DEFAULT_MAX_RETRY_AFTER);
        assertThat(load(dir, MINIMAL + "retry:\n  max-retry-after: 1h\n")
                        .toSettings()
                        .maxRetryAfter())
                .isEqualTo(Duration.ofHours(1));
        assertThatThrownBy(() -> load(dir, MINIMAL + "retry:\n  max-retry-after: 30d\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("ladder.yaml:7: retry.max-retry-after is '30d'")
                .hasMessageContaining("at most 7d");
        assertThatThrownBy(() -> load(dir, MINIMAL + "retry:\n  max-retry-after: 0s\n"))
                .hasMessageContaining("retry.max-retry-after is '0s'");
    }

    @Test
    void shouldRequireAHandlerUrlOrClass() {
        assertThatThrownBy(() -> load(dir, "topics: {main: orders}\n"))
                .hasMessageContaining("handler.http.url is missing");
        assertThatThrownBy(() -> load(dir, "topics: {main: orders}\nhandler: {type: class}\n"))
                .hasMessageContaining("handler.class is missing");
        assertThat(load(dir, "topics: {main: orders}\nhandler: {type: class, class: com.example.H}\n")
                        .handler()
                        .className())
                .isEqualTo("com.example.H");
    }

    @Test
    void shouldBuildStreamsPropertiesWithKafkaEntriesWinning() {
        // given
        String yaml = MINIMAL
                + "bootstrap-servers: broker:9092\nstate-dir: /tmp/s\nprocessing-guarantee: at_least_once\nkafka:\n  linger.ms: 5\n  state.dir: /tmp/override\n";
        // when
        Properties props = load(dir, yaml).streamsProperties();
        // then
        assertThat(props)
                .containsEntry("application.id", "ladder-orders")
                .containsEntry("bootstrap.servers", "broker:9092")
                .containsEntry("processing.guarantee", "at_least_once")
                .containsEntry("state.dir", "/tmp/override")
                .containsEntry("linger.ms", "5");
    }

    @Test
    void shouldRefuseStreamsPropertiesWithoutBootstrapServers() {
        assertThatThrownBy(() -> load(dir, MINIMAL).streamsProperties())
                .hasMessageContaining("bootstrap-servers is missing");
        assertThat(load(dir, MINIMAL).withBootstrapServers("localhost:1").streamsProperties())
                .containsEntry("bootstrap.servers", "localhost:1");
    }

    private Backoff backoff(String yaml) {
        return load(dir, MINIMAL + "retry:\n  backoff: " + yaml + "\n")
                .toSettings()
                .policy()
                .backoff();
    }
}
