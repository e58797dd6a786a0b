package dev.ladder.config;

import static dev.ladder.config.ConfigFixture.MINIMAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.ladder.text.Durations;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One run reports every mistake, from the file and the environment, each once. */
class ConfigErrorsAtOnceTest {

    @TempDir
    Path dir;

    @Test
    void shouldReportEnvironmentAndFileErrorsTogether() {
        // given a range error in the file, a typo'd variable and a variable with a bad value
        Map<String, String> env = Map.of("LADDER_TOPICS_MIAN", "x", "LADDER_SERVER_PORT", "http");

        // when
        List<ConfigException> errors = errors(MINIMAL + "breaker:\n  window: 0\n", env);

        // then the file's error comes first, with its line; the environment's after, naming the variable
        assertThat(errors)
                .extracting(ConfigException::key)
                .containsExactly("breaker.window", "LADDER_TOPICS_MIAN", "server.port");
        assertThat(errors.get(0).getMessage()).startsWith("ladder.yaml:7: breaker.window is '0'");
        assertThat(errors.get(2).getMessage()).contains("environment variable LADDER_SERVER_PORT", "is 'http'");
    }

    @Test
    void shouldNotBlameADefaultThatStandsInForAKeyThatCouldNotBeRead() {
        // when a tier's delay cannot be read (it is left out while the rest is checked)
        List<ConfigException> errors = errors(MINIMAL + "retry:\n  tiers:\n    - {delay: soon}\n", Map.of());

        // then it is reported once, not once more as missing
        assertThat(errors)
                .singleElement()
                .satisfies(e -> assertThat(e.getMessage())
                        .isEqualTo("ladder.yaml:8: retry.tiers[0].delay is 'soon'; allowed: " + Durations.ALLOWED));
    }

    @Test
    void shouldReportEachBadEntryOfAListAtItsOwnIndex() {
        // when two entries of a list are wrong
        List<ConfigException> errors = errors(
                MINIMAL
                        + "retry:\n  tiers:\n    - {delay: soon}\n    - {delay: 1m, attempts: lots}\n    - {delay: 0s}\n",
                Map.of());

        // then
        assertThat(errors)
                .extracting(ConfigException::key)
                .containsExactly("retry.tiers[0].delay", "retry.tiers[1].attempts", "retry.tiers[2].delay");
    }

    @Test
    void shouldListEveryErrorInTheMessageOnItsOwnLine() {
        // when
        ConfigException e = catchThrowableOfType(
                () -> ConfigFixture.load(dir, MINIMAL + "server: {port: -1}\npunctuation-interval: 0s\n"),
                ConfigException.class);

        // then
        assertThat(e.getMessage().lines())
                .containsExactly(
                        "2 configuration errors:",
                        "  ladder.yaml:6: server.port is '-1'; allowed: a TCP port from 0 to 65535 (0 picks a free port)",
                        "  ladder.yaml:7: punctuation-interval is '0s'; allowed: a positive duration such as 1s");
    }

    private List<ConfigException> errors(String yaml, Map<String, String> env) {
        return catchThrowableOfType(() -> ConfigFixture.load(dir, yaml, env), ConfigException.class)
                .errors();
    }
}
