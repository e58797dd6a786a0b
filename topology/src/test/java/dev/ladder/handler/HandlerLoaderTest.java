package dev.ladder.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HandlerLoaderTest {

    /** A well-formed handler that remembers its settings. */
    public static class Recording implements EventHandler {
        Map<String, ?> settings;

        @Override
        public void configure(Map<String, ?> settings) {
            this.settings = settings;
        }

        @Override
        public Outcome handle(Event event) {
            return Outcome.success();
        }
    }

    /** Not a handler. */
    public static class NotAHandler {}

    /** A handler without a no-argument constructor. */
    public static class NeedsArgument extends Recording {
        public NeedsArgument(String required) {}
    }

    /** A handler whose constructor fails. */
    public static class Exploding extends Recording {
        public Exploding() {
            throw new IllegalStateException("boom in constructor");
        }
    }

    /** A handler that refuses its settings, and must then be closed. */
    public static class Refusing extends Recording {
        static volatile boolean closed;

        @Override
        public void configure(Map<String, ?> settings) {
            throw new IllegalArgumentException("url missing");
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    @Test
    void shouldLoadAndConfigureByClassName() {
        // when
        EventHandler handler = HandlerLoader.load(Recording.class.getName(), Map.of("k", "v"));
        // then
        assertThat(handler).isInstanceOf(Recording.class);
        assertThat(((Recording) handler).settings).isEqualTo(Map.of("k", "v"));
    }

    @Test
    void shouldSayWhenClassIsNotFound() {
        assertThatThrownBy(() -> HandlerLoader.load("com.example.Missing", Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("com.example.Missing not found on the class path");
    }

    @Test
    void shouldSayWhenClassIsNotAnEventHandler() {
        assertThatThrownBy(() -> HandlerLoader.load(NotAHandler.class.getName(), Map.of()))
                .hasMessageContaining("does not implement dev.ladder.handler.EventHandler");
    }

    @Test
    void shouldSayWhenThereIsNoPublicNoArgConstructor() {
        assertThatThrownBy(() -> HandlerLoader.load(NeedsArgument.class.getName(), Map.of()))
                .hasMessageContaining("needs a public no-argument constructor");
    }

    @Test
    void shouldSayWhenConstructorThrows() {
        assertThatThrownBy(() -> HandlerLoader.load(Exploding.class.getName(), Map.of()))
                .hasMessageContaining("constructor of handler class " + Exploding.class.getName() + " threw")
                .hasMessageContaining("boom in constructor")
                .hasRootCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void shouldSayWhenConfigureFailsAndCloseTheHandler() {
        assertThatThrownBy(() -> HandlerLoader.load(Refusing.class.getName(), Map.of()))
                .hasMessageContaining("rejected its settings: url missing");
        assertThat(Refusing.closed).isTrue();
    }

    @Test
    void shouldSayWhenClassIsAbstractOrUnset() {
        assertThatThrownBy(() -> HandlerLoader.load(EventHandler.class.getName(), Map.of()))
                .hasMessageContaining("is abstract");
        assertThatThrownBy(() -> HandlerLoader.load(" ", Map.of())).hasMessage("handler class is not set");
    }
}
