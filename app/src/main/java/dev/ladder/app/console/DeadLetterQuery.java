package dev.ladder.app.console;

import dev.ladder.app.dlt.ClientProperties;
import dev.ladder.app.dlt.DeadLetter;
import dev.ladder.app.dlt.DeadLetterFilter;
import dev.ladder.app.dlt.DeadLetterReader;
import dev.ladder.app.dlt.DeadLetterScanner;
import dev.ladder.avro.RetryEnvelope;
import dev.ladder.policy.LadderSettings;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Which dead letters a console request means: the filters of {@code ladder dlt list} ({@code key},
 * {@code since}, {@code until}, {@code exception}, {@code httpStatus}) and, optionally, a selection
 * of {@code partition@offset} coordinates ({@code selection=0@12,1@7}); both must match.
 *
 * @param filter the {@code dlt list} filter
 * @param selection the chosen coordinates; empty means every dead letter the filter matches
 */
record DeadLetterQuery(DeadLetterFilter filter, Set<String> selection) {

    /**
     * Reads the parameters.
     *
     * @throws IllegalArgumentException naming the parameter that cannot be read
     */
    static DeadLetterQuery of(Map<String, String> params, Instant now) {
        Integer status = null;
        if (params.containsKey("httpStatus")) {
            status = HttpQuery.intParam(params, "httpStatus", 0, 100, 599);
        }
        DeadLetterFilter filter = new DeadLetterFilter(
                params.get("key"),
                DeadLetterFilter.parseTime(params.get("since"), now),
                DeadLetterFilter.parseTime(params.get("until"), now),
                params.get("exception"),
                status);
        Set<String> selection = new LinkedHashSet<>();
        for (String ref : params.getOrDefault("selection", "").split(",")) {
            if (!ref.isBlank()) {
                if (!ref.strip().matches("\\d+@\\d+")) {
                    throw new IllegalArgumentException("selection holds '" + ref + "', not partition@offset");
                }
                selection.add(ref.strip());
            }
        }
        return new DeadLetterQuery(filter, Set.copyOf(selection));
    }

    /** True when neither a filter nor a selection narrows it down. */
    boolean isEverything() {
        return filter.isEmpty() && selection.isEmpty();
    }

    /** The dead letters this query takes. */
    Predicate<DeadLetter> matches() {
        return d -> filter.matches(d) && (selection.isEmpty() || selection.contains(d.coordinates()));
    }

    private static final java.time.Duration SCAN_TIMEOUT = java.time.Duration.ofSeconds(8);

    /**
     * A scanner of the configured dead-letter topic, for the console's {@code purpose}, reading
     * envelopes with the processor's own envelope serde.
     */
    static DeadLetterScanner scanner(
            Properties streamsProps, LadderSettings settings, Serde<RetryEnvelope> envelopes, String purpose) {
        String clientId = streamsProps.getProperty(StreamsConfig.APPLICATION_ID_CONFIG) + "-console-" + purpose;
        return new DeadLetterScanner(
                ClientProperties.consumer(streamsProps, clientId),
                settings.topics().deadLetter(),
                new DeadLetterReader(settings.eventIdHeader(), envelopes),
                // a console request waits on the broker no longer than a CLI command does
                SCAN_TIMEOUT);
    }

    /** What the query selects, for the audit log and the replay's status. */
    String describe() {
        StringBuilder s = new StringBuilder();
        if (filter.key() != null) {
            s.append(" key=").append(filter.key());
        }
        if (filter.since() != null) {
            s.append(" since=").append(filter.since());
        }
        if (filter.until() != null) {
            s.append(" until=").append(filter.until());
        }
        if (filter.exception() != null) {
            s.append(" exception=").append(filter.exception());
        }
        if (filter.httpStatus() != null) {
            s.append(" httpStatus=").append(filter.httpStatus());
        }
        if (!selection.isEmpty()) {
            s.append(" selection=").append(selection.size()).append(" dead letters");
        }
        return s.isEmpty() ? "all" : s.substring(1);
    }
}
