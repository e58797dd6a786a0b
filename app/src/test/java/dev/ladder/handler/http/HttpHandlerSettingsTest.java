package dev.ladder.handler.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpHandlerSettingsTest {

    @Test
    void shouldDefaultToPostTenSecondsFiveSecondsAnd512Bytes() {
        // when
        var s = HttpHandlerSettings.fromMap(Map.of("url", "https://hooks.example.com/in"));
        // then
        assertThat(s.method()).isEqualTo("POST");
        assertThat(s.requestTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.bodySnippetBytes()).isEqualTo(512);
        assertThat(s.headers()).isEmpty();
    }

    @Test
    void shouldReadPrefixedKeysAndEveryDurationForm() {
        // when
        var s = HttpHandlerSettings.fromMap(Map.of(
                "handler.http.url", "http://127.0.0.1:8080/in",
                "handler.http.method", "patch",
                "handler.http.request-timeout", "1500ms",
                "handler.http.connect-timeout", "PT2S",
                "handler.http.body-snippet-bytes", "64"));
        // then
        assertThat(s.method()).isEqualTo("PATCH");
        assertThat(s.requestTimeout()).isEqualTo(Duration.ofMillis(1500));
        assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(s.bodySnippetBytes()).isEqualTo(64);
        assertThat(HttpHandlerSettings.fromMap(Map.of("url", "http://h/", "request-timeout", 250))
                        .requestTimeout())
                .isEqualTo(Duration.ofMillis(250));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://host/x", "/relative/path", "mailto:ops@example.com", "http:///nohost"})
    void shouldRejectUrlsThatAreNotAbsoluteHttp(String url) {
        assertThatThrownBy(() -> HttpHandlerSettings.fromMap(Map.of("url", url)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("handler.http.url ");
    }

    @Test
    void shouldRequireUrl() {
        assertThatThrownBy(() -> HttpHandlerSettings.fromMap(Map.of()))
                .hasMessage("handler.http.url is missing; allowed: an absolute http or https URL");
    }

    @Test
    void shouldNameTheKeyOfEveryOtherBadSetting() {
        URI url = URI.create("https://h/in");
        assertThatThrownBy(() -> new HttpHandlerSettings(url, "HEAD", Map.of(), null, null, 1))
                .hasMessage("handler.http.method is 'HEAD'; allowed: one of POST, PUT, PATCH");
        assertThatThrownBy(() -> new HttpHandlerSettings(url, "POST", Map.of(), Duration.ZERO, null, 1))
                .hasMessageStartingWith("handler.http.request-timeout is 0ms; allowed: a positive duration");
        assertThatThrownBy(() -> new HttpHandlerSettings(url, "POST", Map.of(), null, Duration.ofSeconds(-1), 1))
                .hasMessageStartingWith("handler.http.connect-timeout is -1000ms; allowed: a positive duration");
        assertThatThrownBy(() -> new HttpHandlerSettings(url, "POST", Map.of("Host", "x"), null, null, 1))
                .hasMessageStartingWith("handler.http.headers sets 'Host', which the HTTP client sets itself");
        assertThatThrownBy(() -> HttpHandlerSettings.fromMap(Map.of("url", "https://h/", "request-timeout", "soon")))
                .hasMessageStartingWith("handler.http.request-timeout is 'soon'; allowed: a duration");
        assertThatThrownBy(() -> new HttpHandlerSettings(url, "POST", Map.of(), null, null, -1))
                .hasMessage("handler.http.body-snippet-bytes is -1; allowed: 0 or more bytes");
    }

    @Test
    void shouldReportEveryBadSettingAtOnce() {
        // when three settings are wrong
        var problems = HttpHandlerSettings.problems(URI.create("ftp://h/"), "GET", Map.of(), Duration.ZERO, null, 0);

        // then each is named, and the constructor throws the first with the others suppressed
        assertThat(problems)
                .extracting(p -> p.setting())
                .containsExactly("handler.http.url", "handler.http.method", "handler.http.request-timeout");
        assertThatThrownBy(
                        () -> new HttpHandlerSettings(URI.create("ftp://h/"), "GET", Map.of(), Duration.ZERO, null, 0))
                .satisfies(e -> assertThat(e.getSuppressed()).hasSize(2));
    }

    @Test
    void shouldMaskUserInfoQueryValuesAndFragmentInSafeUrlByTheOneRedactionRule() {
        var s = HttpHandlerSettings.of(URI.create("https://user:pw@hooks.example.com:8443/in?sig=abc#x"));
        assertThat(s.safeUrl()).isEqualTo("https://[redacted]@hooks.example.com:8443/in?sig=[redacted]#[redacted]");
        assertThat(s.toString())
                .contains("url=" + s.safeUrl())
                .doesNotContain("pw@")
                .doesNotContain("abc");
    }
}
