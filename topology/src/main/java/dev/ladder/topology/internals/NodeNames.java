package dev.ladder.topology.internals;

/**
 * The names of the topology's nodes. Every node, store and internal topic is named explicitly, so
 * a topology change never silently renames a changelog and strands its state.
 */
final class NodeNames {

    /** The retry processor. */
    public static final String PROCESSOR = "ladder-retry-processor";
    /** The dead-letter sink. */
    public static final String DLT_SINK = "ladder-sink-dlt";
    /** The success output sink. */
    public static final String OUTPUT_SINK = "ladder-sink-output";

    private NodeNames() {}

    /** The source of the main topic. */
    public static String mainSource() {
        return "ladder-source-main";
    }

    /** The source of tier {@code index} (1-based). */
    public static String tierSource(int index) {
        return "ladder-source-tier-" + index;
    }

    /** The sink of tier {@code index} (1-based). */
    public static String tierSink(int index) {
        return "ladder-sink-tier-" + index;
    }
}
