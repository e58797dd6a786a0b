package dev.ladder.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.handler.http.HttpHandlerSettings;
import dev.ladder.policy.BreakerSettings;
import dev.ladder.policy.LadderSettings;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The YAML model has no defaults of its own: a file that sets nothing gets the library's. */
class SettingsDefaultsTest {

    @TempDir
    Path dir;

    @Test
    void shouldMapAFileThatSetsNothingOntoTheLibraryDefaults() {
        // given a file with only what has no default
        LadderConfig config = ConfigFixture.load(dir, ConfigFixture.MINIMAL);

        // when
        LadderSettings fromYaml = config.toSettings();
        LadderSettings fromBuilder = LadderSettings.builder("orders").build();

        // then every setting agrees, the breaker included (it once was off in the builder, on in YAML)
        assertThat(fromYaml).usingRecursiveComparison().isEqualTo(fromBuilder);
        assertThat(fromYaml.breaker()).isEqualTo(BreakerSettings.defaults());
        assertThat(fromYaml.breaker().enabled()).isTrue();
        assertThat(fromYaml.topics().toString()).isEqualTo(fromBuilder.topics().toString());
    }

    @Test
    void shouldMapTheHttpSectionOntoTheHandlersOwnDefaults() {
        // given
        LadderConfig config = ConfigFixture.load(dir, ConfigFixture.MINIMAL);
        HttpConfig http = config.handler().http();

        // when
        HttpHandlerSettings handler = HttpHandlerSettings.of(URI.create(http.url()));

        // then
        assertThat(http.method()).isEqualTo(handler.method());
        assertThat(http.connectTimeout()).isEqualTo(handler.connectTimeout());
        assertThat(http.bodySnippetBytes()).isEqualTo(handler.bodySnippetBytes());
    }

    @Test
    void shouldAcceptExactlyTheMethodsTheHandlerSends() {
        for (String method : HttpHandlerSettings.METHODS) {
            assertThat(ConfigFixture.load(dir, ConfigFixture.MINIMAL + "    method: " + method.toLowerCase() + "\n")
                            .handler()
                            .http()
                            .method())
                    .isEqualTo(method);
        }
        for (String method : new String[] {"GET", "DELETE"}) {
            assertThat(HttpHandlerSettings.problems(URI.create("http://h/"), method, null, null, null, 0))
                    .singleElement()
                    .satisfies(p -> assertThat(p.setting()).isEqualTo("handler.http.method"));
        }
    }

    @Test
    void shouldBindTheLibrarysOwnOrderingEnumsInKebabCase() {
        // when
        LadderConfig config =
                ConfigFixture.load(dir, ConfigFixture.MINIMAL + "ordering:\n  mode: none\n  on-dead-letter: hold\n");

        // then
        assertThat(config.toSettings().ordering()).isEqualTo(LadderSettings.Ordering.NONE);
        assertThat(config.toSettings().onDeadLetter()).isEqualTo(LadderSettings.DeadKeyPolicy.HOLD);
        assertThat(config.describe()).contains("ordering.mode = none", "ordering.on-dead-letter = hold");
    }
}
