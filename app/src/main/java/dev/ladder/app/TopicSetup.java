package dev.ladder.app;

import dev.ladder.policy.LadderSettings;
import dev.ladder.policy.TopicConfigs;
import dev.ladder.policy.TopicNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates and verifies Ladder's topics. Every tier, dead-letter and output topic must have the
 * main topic's partition count: key K lives on partition p of every topic, so one task owns all of
 * K's history. A topic with another count is refused, never silently used.
 *
 * <p>Tier and dead-letter topics are created with the retention and record size limit of {@link
 * TopicConfigs}; an existing topic whose configs fall short of them (a retention that can delete a
 * waiting retry or a dead letter, a record limit below Ladder's envelope) is reported as a finding.
 */
public final class TopicSetup {

    /**
     * What a check found.
     *
     * @param findings topic configs that fall short of what Ladder needs, one sentence each with
     *     the fix; empty when all is well
     */
    public record Report(int partitions, List<String> created, List<String> existing, List<String> findings) {}

    private final Admin admin;
    private final Duration timeout;

    public TopicSetup(Admin admin, Duration timeout) {
        this.admin = admin;
        this.timeout = timeout;
    }

    /**
     * Checks every topic, creating the missing ones when {@code create} is true.
     *
     * @throws TopicSetupException when the main topic is missing, a topic's partition count
     *     differs, or (with create false) a topic is missing
     */
    public Report ensure(LadderSettings settings, boolean create, Optional<Short> replicationFactor) {
        TopicNames topics = settings.topics();
        Map<String, Integer> counts = describe(topics);
        Integer main = counts.get(topics.main());
        if (main == null) {
            throw new TopicSetupException("main topic '" + topics.main() + "' does not exist; create it first "
                    + "(Ladder creates only its own tier, dead-letter and output topics), or fix topics.main");
        }
        List<String> wrong = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        List<String> existing = new ArrayList<>();
        for (String topic : topics.sinks()) {
            Integer count = counts.get(topic);
            if (count == null) {
                missing.add(topic);
            } else if (count != main) {
                wrong.add(topic + " has " + count);
            } else {
                existing.add(topic);
            }
        }
        if (!wrong.isEmpty()) {
            throw new TopicSetupException("partition counts differ from main topic '" + topics.main() + "' (" + main
                    + " partitions): " + String.join(", ", wrong) + ". Every Ladder topic needs the main topic's "
                    + "partition count so that a key stays on the same partition; recreate these topics with " + main
                    + " partitions, or use a new topics.naming pattern");
        }
        if (!missing.isEmpty() && !create) {
            throw new TopicSetupException(
                    "missing topics: " + String.join(", ", missing) + "; run `ladder topics create --config FILE`");
        }
        Map<String, Map<String, String>> wanted = TopicConfigs.forTopics(settings);
        Map<String, String> mainConfig = configs(List.of(topics.main())).get(topics.main());
        List<String> created = new ArrayList<>();
        for (String topic : missing) {
            Map<String, String> configs = new LinkedHashMap<>(wanted.getOrDefault(topic, Map.of()));
            long segment = number(mainConfig, TopicConfig.SEGMENT_BYTES_CONFIG, Long.MAX_VALUE);
            if (!configs.isEmpty() && segment < settings.maxMessageBytes()) {
                // a segment holds at least one batch: small segments (a test or demo broker's) refuse
                // records larger than the segment, whatever max.message.bytes says
                configs.put(TopicConfig.SEGMENT_BYTES_CONFIG, Long.toString(2L * settings.maxMessageBytes()));
            }
            if (createTopic(topic, main, replicationFactor, configs)) {
                created.add(topic);
            }
        }
        return new Report(main, created, existing, TopicFindings.of(settings, mainConfig, configs(wanted.keySet())));
    }

    private boolean createTopic(
            String topic, int partitions, Optional<Short> replicationFactor, Map<String, String> configs) {
        try {
            admin.createTopics(
                            List.of(new NewTopic(topic, Optional.of(partitions), replicationFactor).configs(configs)))
                    .all()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TopicExistsException) {
                // another instance created it in the meantime: check it like any existing one
                int count = describe(Set.of(topic)).getOrDefault(topic, -1);
                if (count == -1) {
                    // created but not visible to describe yet: a retriable state, check again shortly
                    throw new TopicSetupException(
                            topic + " was created concurrently and is not visible yet",
                            new UnknownTopicOrPartitionException(topic));
                }
                if (count != partitions) {
                    throw new TopicSetupException(
                            topic + " was created concurrently with " + count + " partitions instead of " + partitions);
                }
                return false;
            }
            throw new TopicSetupException(
                    "cannot create topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new TopicSetupException("timed out after " + timeout + " creating topic " + topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TopicSetupException("interrupted while creating topic " + topic, e);
        }
    }

    /** The effective configs of existing topics (a missing topic maps to an empty map). */
    Map<String, Map<String, String>> configs(java.util.Collection<String> names) {
        List<ConfigResource> resources = names.stream()
                .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n))
                .toList();
        Map<String, Map<String, String>> result = new LinkedHashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            Map<ConfigResource, Config> all;
            while (true) {
                try {
                    all = admin.describeConfigs(resources).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    break;
                } catch (ExecutionException e) {
                    // topics created a moment ago may not be known to every broker yet: ask again
                    if (!(e.getCause() instanceof org.apache.kafka.common.errors.RetriableException)
                            || System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(100);
                }
            }
            for (var e : all.entrySet()) {
                Map<String, String> values = new LinkedHashMap<>();
                for (ConfigEntry entry : e.getValue().entries()) {
                    values.put(entry.name(), entry.value());
                }
                result.put(e.getKey().name(), values);
            }
            return result;
        } catch (ExecutionException e) {
            throw new TopicSetupException(
                    "cannot describe the configs of " + names + ": "
                            + e.getCause().getClass().getSimpleName() + " "
                            + e.getCause().getMessage(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw new TopicSetupException("timed out after " + timeout + " describing topic configs", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TopicSetupException("interrupted while describing topic configs", e);
        }
    }

    static long number(Map<String, String> configs, String name, long otherwise) {
        String value = configs == null ? null : configs.get(name);
        if (value == null) {
            return otherwise;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    private Map<String, Integer> describe(TopicNames topics) {
        List<String> all = new ArrayList<>(topics.sinks());
        all.add(0, topics.main());
        return describe(Set.copyOf(all));
    }

    private Map<String, Integer> describe(Set<String> names) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String name : names) {
            try {
                TopicDescription d = admin.describeTopics(List.of(name))
                        .allTopicNames()
                        .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                        .get(name);
                counts.put(name, d.partitions().size());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new TopicSetupException(
                            "cannot describe topic " + name + ": "
                                    + e.getCause().getMessage(),
                            e.getCause());
                }
            } catch (TimeoutException e) {
                throw new TopicSetupException(
                        "timed out after " + timeout + " describing topic " + name + "; is the broker reachable?", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new TopicSetupException("interrupted while describing topic " + name, e);
            }
        }
        return counts;
    }

    /** A topic problem, with what to do about it. */
    public static final class TopicSetupException extends RuntimeException {
        public TopicSetupException(String message) {
            super(message);
        }

        public TopicSetupException(String message, Throwable cause) {
            super(message, cause);
        }

        /** True when the broker did not answer in time (worth waiting for), not a topic mistake. */
        public boolean isTimeout() {
            return getCause() instanceof TimeoutException
                    || getCause() instanceof org.apache.kafka.common.errors.TimeoutException
                    || getCause() instanceof org.apache.kafka.common.errors.RetriableException;
        }
    }
}
