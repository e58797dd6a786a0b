package dev.ladder.it;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** The browser tests never pass on CI without a browser. */
class ConsoleBrowserTest {

    @Test
    void shouldFailUnderCiWhenChromiumIsMissing() {
        assertThatThrownBy(() -> ConsoleBrowser.requireInstalled(false, "true"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("apt-get install chromium chromium-driver");
    }

    @Test
    void shouldSkipOutsideCiWhenChromiumIsMissing() {
        assertThatThrownBy(() -> ConsoleBrowser.requireInstalled(false, null)).isInstanceOf(TestAbortedException.class);
    }

    @Test
    void shouldGoOnWhenChromiumIsInstalled() {
        assertThatCode(() -> ConsoleBrowser.requireInstalled(true, "true")).doesNotThrowAnyException();
    }
}
