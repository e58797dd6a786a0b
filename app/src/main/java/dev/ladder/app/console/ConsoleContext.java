package dev.ladder.app.console;

import dev.ladder.avro.RetryEnvelope;
import dev.ladder.policy.LadderSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.KafkaStreams;

/**
 * What the console's endpoints read: the running Streams instance (stores), the settings in force,
 * the Kafka client settings (to read the dead-letter topic and replay), the meters and the breaker.
 *
 * @param streams the Streams instance once it exists
 * @param settings the settings in force (they change with live reloads)
 * @param streamsProps the Kafka Streams properties once they are known (before Streams starts)
 * @param registry Ladder's meters
 * @param breakerState the downstream breaker's state name, now
 * @param envelopeSerde the processor's envelope serde ({@code topics.envelope-serde}), to read its
 *     dead letters with; the app closes it
 */
public record ConsoleContext(
        Supplier<Optional<KafkaStreams>> streams,
        Supplier<LadderSettings> settings,
        Supplier<Optional<Properties>> streamsProps,
        MeterRegistry registry,
        Supplier<String> breakerState,
        Serde<RetryEnvelope> envelopeSerde) {

    /** The Kafka Streams properties, or an error an endpoint turns into a 503. */
    Properties requireProps() {
        return streamsProps.get().orElseThrow(() -> new NotReady("Ladder has not read its Kafka settings yet"));
    }

    /** The running Streams instance, or an error an endpoint turns into a 503. */
    KafkaStreams requireRunning() {
        Optional<KafkaStreams> s = streams.get();
        if (s.isEmpty() || !s.get().state().isRunningOrRebalancing()) {
            throw new NotReady("Kafka Streams is not running yet");
        }
        return s.get();
    }

    /** Something the console needs is not there yet: answered with 503. */
    static final class NotReady extends RuntimeException {
        NotReady(String message) {
            super(message);
        }
    }
}
