package dev.ladder.topology;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/** Collects what Ladder's loggers ({@code dev.ladder}) write, as the app's log4j2 configuration lets through. */
final class LogCapture implements AutoCloseable {

    private static final AtomicInteger COUNT = new AtomicInteger();

    private final List<LogEvent> events = new CopyOnWriteArrayList<>();
    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
    private final String name = "capture-" + COUNT.incrementAndGet();
    private final LoggerConfig logger = context.getConfiguration().getLoggerConfig("dev.ladder");

    LogCapture() {
        AbstractAppender appender = new AbstractAppender(name, null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                events.add(event.toImmutable());
            }
        };
        appender.start();
        logger.addAppender(appender, Level.ALL, null);
        context.updateLoggers();
    }

    /** The formatted messages logged at {@code level} or above. */
    List<String> messages(Level level) {
        return events.stream()
                .filter(e -> e.getLevel().isMoreSpecificThan(level))
                .map(e -> e.getMessage().getFormattedMessage())
                .toList();
    }

    @Override
    public void close() {
        logger.removeAppender(name);
        context.updateLoggers();
    }
}
