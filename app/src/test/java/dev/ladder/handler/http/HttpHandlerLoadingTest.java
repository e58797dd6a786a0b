package dev.ladder.handler.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.handler.EventHandler;
import dev.ladder.handler.HandlerLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The app's built-in HTTP handler loads by class name through the library's {@link HandlerLoader}. */
class HttpHandlerLoadingTest {

    @Test
    void shouldLoadTheBuiltInHttpHandler() {
        EventHandler handler = HandlerLoader.load(
                "dev.ladder.handler.http.HttpEventHandler", Map.of("url", "http://127.0.0.1:1/never-called"));
        assertThat(handler).isInstanceOf(HttpEventHandler.class);
    }
}
