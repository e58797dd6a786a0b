package dev.ladder.app.embedded;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The server.properties of a single-node KRaft cluster (one process is both broker and controller),
 * tuned for a laptop or a CI box: one replica everywhere, few threads, small segments.
 */
final class BrokerProperties {

    static final int NODE_ID = 1;
    static final String BROKER_LISTENER = "PLAINTEXT";
    static final String CONTROLLER_LISTENER = "CONTROLLER";

    private BrokerProperties() {}

    /**
     * Returns the properties for a combined node that listens on 127.0.0.1 only.
     *
     * @param logDir the broker's only log directory; the KRaft metadata log lives there too
     * @param brokerPort the port clients connect to
     * @param controllerPort the port of the controller quorum (the node talks to itself over it)
     * @param overrides any broker property, applied last
     */
    static Properties combinedNode(Path logDir, int brokerPort, int controllerPort, Map<String, String> overrides) {
        Properties props = new Properties();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        // A static one-voter quorum: no dynamic voter bootstrapping to get wrong, and the node elects itself.
        props.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("inter.broker.listener.name", BROKER_LISTENER);
        props.put(
                "listeners",
                BROKER_LISTENER + "://127.0.0.1:" + brokerPort + "," + CONTROLLER_LISTENER + "://127.0.0.1:"
                        + controllerPort);
        props.put("advertised.listeners", BROKER_LISTENER + "://127.0.0.1:" + brokerPort);
        props.put(
                "listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("log.dirs", logDir.toAbsolutePath().toString());

        // One node: every internal topic must be satisfied by one replica, or transactions never start.
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "5");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("transaction.state.log.num.partitions", "5");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        props.put("group.initial.rebalance.delay.ms", "0");
        // Topics are created on purpose (the app checks partition counts); auto-creation would hide mistakes.
        props.put("auto.create.topics.enable", "false");

        // Small files and few threads: the demo and the tests share two cores with everything else.
        // a segment holds at least one batch: it must hold Ladder's largest record (topics.max-message-bytes)
        props.put("log.segment.bytes", String.valueOf(8 * 1024 * 1024));
        props.put("offsets.topic.segment.bytes", String.valueOf(1024 * 1024));
        props.put("transaction.state.log.segment.bytes", String.valueOf(1024 * 1024));
        props.put("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024));
        props.put("num.network.threads", "2");
        props.put("num.io.threads", "2");
        props.put("num.recovery.threads.per.data.dir", "1");
        props.put("background.threads", "2");
        props.put("log.cleaner.threads", "1");

        props.putAll(overrides);
        return props;
    }
}
