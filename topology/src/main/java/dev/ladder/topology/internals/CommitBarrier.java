package dev.ladder.topology.internals;

import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.internals.InternalProcessorContext;
import org.apache.kafka.streams.processor.internals.ProcessorNode;
import org.apache.kafka.streams.processor.internals.ProcessorRecordContext;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A hook Kafka Streams runs before every commit of the task: an in-memory, unlogged store whose
 * only job is its cache flush, which Kafka Streams calls from {@code StreamTask.prepareCommit()}
 * (before the record collector is flushed and the offsets or the transaction are committed, on a
 * clean close and on a revocation too). The processor's barrier runs there: it records every call
 * in flight, so no commit ever covers an input whose outcome is not written.
 *
 * <p>Kafka Streams' public Processor API has no pre-commit callback; its own record caches flush
 * (and forward) through this same path, and this class does what they do: it uses the internal
 * {@link CachedStateStore} contract, and forwards from the processor's node with a punctuation-like
 * record context. Everything internal is here, in one class; {@code CommitBarrierTest} fails if a
 * Kafka upgrade stops calling it before a commit.
 */
final class CommitBarrier implements StateStore, CachedStateStore<Object, Object> {

    /** The store's name; it has no changelog and holds nothing. */
    static final String NAME = "ladder-commit-barrier";

    private Runnable beforeCommit;
    private Runnable afterCommit;
    private boolean open;

    /** Sets what runs before each commit; the processor sets it at init. */
    void beforeCommit(Runnable hook) {
        this.beforeCommit = hook;
    }

    /**
     * Sets what runs once a commit is done: Kafka Streams commits every store after the offsets
     * (under at-least-once after every commit, as its checkpoint), this one first.
     */
    void afterCommit(Runnable hook) {
        this.afterCommit = hook;
    }

    @Override
    public void commit(Map<org.apache.kafka.common.TopicPartition, Long> changelogOffsets) {
        Runnable hook = afterCommit;
        if (hook != null) {
            hook.run();
        }
    }

    @Override
    public void flushCache() {
        Runnable hook = beforeCommit;
        if (hook != null) {
            hook.run();
        }
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<Object, Object> listener, boolean sendOldValues) {
        return false;
    }

    @Override
    public void clearCache() {}

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        context.register(root, (key, value) -> {});
        open = true;
    }

    @Override
    public void close() {
        open = false;
        beforeCommit = null;
        afterCommit = null;
    }

    @Override
    public boolean persistent() {
        return false;
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    /**
     * Runs {@code work} so that it may forward records and write stores as the processor of
     * {@code context} does in a punctuation: from the processor's node ({@code node}, taken at
     * init), with a record context stamped {@code timestamp}.
     */
    static void asProcessor(ProcessorContext<?, ?> context, Object node, long timestamp, Runnable work) {
        if (!(context instanceof InternalProcessorContext<?, ?> internal)
                || !(node instanceof ProcessorNode<?, ?, ?, ?>)) {
            work.run();
            return;
        }
        ProcessorNode<?, ?, ?, ?> previousNode = internal.currentNode();
        ProcessorRecordContext previousRecord = internal.recordContext();
        internal.setCurrentNode((ProcessorNode<?, ?, ?, ?>) node);
        internal.setRecordContext(new ProcessorRecordContext(timestamp, -1L, -1, null, new RecordHeaders()));
        try {
            work.run();
        } finally {
            internal.setRecordContext(previousRecord);
            internal.setCurrentNode(previousNode);
        }
    }

    /** The processor's node, as Kafka Streams set it while calling the processor's init. */
    static Object currentNode(ProcessorContext<?, ?> context) {
        return context instanceof InternalProcessorContext<?, ?> internal ? internal.currentNode() : null;
    }

    /** Builds the barrier store. */
    static StoreBuilder<CommitBarrier> builder() {
        return new StoreBuilder<>() {
            @Override
            public StoreBuilder<CommitBarrier> withCachingEnabled() {
                return this;
            }

            @Override
            public StoreBuilder<CommitBarrier> withCachingDisabled() {
                return this;
            }

            @Override
            public StoreBuilder<CommitBarrier> withLoggingEnabled(Map<String, String> config) {
                return this;
            }

            @Override
            public StoreBuilder<CommitBarrier> withLoggingDisabled() {
                return this;
            }

            @Override
            public CommitBarrier build() {
                return new CommitBarrier();
            }

            @Override
            public Map<String, String> logConfig() {
                return Map.of();
            }

            @Override
            public boolean loggingEnabled() {
                return false;
            }

            @Override
            public String name() {
                return NAME;
            }
        };
    }
}
