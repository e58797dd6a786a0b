package dev.ladder.it;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Property;

/** Keeps every log line of the loggers it is added to, as {@code LEVEL message}. */
final class CapturedLog extends AbstractAppender {

    final List<String> lines = new CopyOnWriteArrayList<>();

    CapturedLog() {
        super("captured-" + UUID.randomUUID(), null, null, true, Property.EMPTY_ARRAY);
    }

    @Override
    public void append(LogEvent event) {
        lines.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
    }
}
