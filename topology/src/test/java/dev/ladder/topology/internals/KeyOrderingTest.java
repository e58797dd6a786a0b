package dev.ladder.topology.internals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.avro.KeyState;
import dev.ladder.kernel.LadderMetrics;
import dev.ladder.serde.AvroCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under at-least-once a key's head reaches the keys store only after the commit that flushed the
 * record it stands for, while parked followers and their counts are written at once. The parked and
 * blocked gauges move with the state they count.
 */
class KeyOrderingTest {

    private static final byte[] KEY = "k".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path stateDir;

    private KeyValueStore<Bytes, byte[]> open(String name) {
        return TestStores.keyValue(stateDir, name);
    }

    private static KeyState stored(KeyValueStore<Bytes, byte[]> keys) {
        byte[] bytes = keys.get(Bytes.wrap(KEY));
        return bytes == null ? null : AvroCodec.KEY_STATE.decode(bytes);
    }

    @Test
    void shouldWriteAHeadOnlyAfterTheCommitThatFlushedItsRetryRecord() {
        // given at-least-once ordering
        KeyValueStore<Bytes, byte[]> keys = open("keys");
        KeyOrdering ordering = new KeyOrdering(keys, open("parked"), true);

        // when an event becomes its key's head (its retry record just sent, not yet flushed)
        ordering.setHead(KEY, "e1");

        // then the task sees the head at once, but the store only after the commit
        assertThat(ordering.isHead(KEY, "e1")).isTrue();
        assertThat(ordering.isBlocked(KEY)).isTrue();
        assertThat(stored(keys)).isNull();
        ordering.committing();
        assertThat(stored(keys)).isNull();
        ordering.releaseCommitted();
        assertThat(stored(keys).getHeadEventId()).isEqualTo("e1");
    }

    @Test
    void shouldForgetAHeadWhoseCommitNeverCame() {
        // given a head set, and a crash before the commit (the task's state is gone, the stores stay)
        KeyValueStore<Bytes, byte[]> keys = open("keys");
        KeyValueStore<Bytes, byte[]> parked = open("parked");
        new KeyOrdering(keys, parked, true).setHead(KEY, "e1");

        // when the next owner reads the stores
        KeyOrdering next = new KeyOrdering(keys, parked, true);

        // then no head blocks the key: its retry record may never have reached Kafka
        assertThat(next.isBlocked(KEY)).isFalse();
    }

    @Test
    void shouldWriteParkedFollowersAtOnceWhileTheHeadWaitsForItsCommit() {
        // given at-least-once ordering with a head not yet committed
        KeyValueStore<Bytes, byte[]> keys = open("keys");
        KeyOrdering ordering = new KeyOrdering(keys, open("parked"), true);
        ordering.setHead(KEY, "e1");

        // when a follower parks
        ordering.park(KEY, new byte[] {1});

        // then its count is stored at once, without the head
        assertThat(stored(keys).getParked()).isEqualTo(1);
        assertThat(stored(keys).getHeadEventId()).isNull();

        // and when the head resolves before the commit, the commit writes no head at all
        ordering.clearHead(KEY, "e1");
        assertThat(ordering.isHead(KEY, "e1")).isFalse();
        ordering.committing();
        ordering.releaseCommitted();
        assertThat(stored(keys).getHeadEventId()).isNull();
        assertThat(ordering.pollFollower(KEY)).isPresent();
    }

    @Test
    void shouldNotBlockAKeyOnAFollowerTakenButNotYetCommitted() {
        // given at-least-once ordering, a key with one parked follower, taken and run (its
        // parked entry and count stay until a commit covers its outcome)
        KeyValueStore<Bytes, byte[]> keys = open("keys");
        KeyValueStore<Bytes, byte[]> parked = open("parked");
        KeyOrdering ordering = new KeyOrdering(keys, parked, true);
        ordering.park(KEY, new byte[] {1});
        assertThat(ordering.isBlocked(KEY)).isTrue();
        assertThat(ordering.pollFollower(KEY)).isPresent();

        // then the key's next event need not park: nothing waits before it (were it parked, no
        // freed key would ever start it; seen as 6 events of one key never delivered in a run)
        assertThat(stored(keys).getParked()).isEqualTo(1);
        assertThat(ordering.isBlocked(KEY)).isFalse();

        // and one that parked anyway still blocks the key until it is taken
        ordering.park(KEY, new byte[] {2});
        assertThat(ordering.isBlocked(KEY)).isTrue();
        assertThat(ordering.pollFollower(KEY).orElseThrow().envelope()).containsExactly(2);
        assertThat(ordering.isBlocked(KEY)).isFalse();

        // and a crash before the commit keeps both in the store, in order, for the next owner
        assertThat(stored(keys).getParked()).isEqualTo(2);
        assertThat(new KeyOrdering(keys, parked, true).isBlocked(KEY)).isTrue();

        // and once the commit covers both, the count goes with them
        ordering.committing();
        ordering.releaseCommitted();
        assertThat(stored(keys)).isNull();
        assertThat(ordering.isBlocked(KEY)).isFalse();
    }

    @Test
    void shouldWriteHeadsAtOnceUnderExactlyOnce() {
        // given exactly-once ordering (one transaction covers the record and the store)
        KeyValueStore<Bytes, byte[]> keys = open("keys");
        KeyOrdering ordering = new KeyOrdering(keys, open("parked"), false);

        // when an event becomes its key's head, then it is stored at once
        ordering.setHead(KEY, "e1");
        assertThat(stored(keys).getHeadEventId()).isEqualTo("e1");
        ordering.clearHead(KEY, "e1");
        assertThat(stored(keys)).isNull();
    }

    @Test
    void shouldKeepTheParkedAndBlockedGaugesWithItsState() {
        // given ordering that reports to a task's gauges
        LadderMetrics metrics = LadderMetrics.noop();
        KeyValueStore<Bytes, byte[]> keys = open("keys");
        KeyValueStore<Bytes, byte[]> parked = open("parked");
        KeyOrdering ordering = new KeyOrdering(keys, parked, false, metrics.task("0_0"));
        byte[] other = "other".getBytes(StandardCharsets.UTF_8);

        // when two followers park behind a head, the key is held, and one follower is taken
        ordering.setHead(KEY, "e1");
        ordering.park(KEY, new byte[] {1});
        ordering.park(KEY, new byte[] {2});
        ordering.hold(KEY, "dead-lettered", 0L);
        ordering.hold(KEY, "again", 0L);
        ordering.setHead(other, "e2");
        ordering.park(other, new byte[] {3});
        ordering.clearHead(other, "e2");
        assertThat(ordering.pollFollower(other)).isPresent();

        // then the gauges count two parked and one held key, without a caller touching them
        assertThat(gauge(metrics, LadderMetrics.PARKED_EVENTS)).isEqualTo(2);
        assertThat(gauge(metrics, LadderMetrics.BLOCKED_KEYS)).isEqualTo(1);

        // and a release frees the key, and a new owner's census finds the same counts again
        assertThat(ordering.release(KEY)).isTrue();
        assertThat(gauge(metrics, LadderMetrics.BLOCKED_KEYS)).isZero();
        ordering.hold(KEY, "held again", 0L);
        LadderMetrics next = LadderMetrics.noop();
        new KeyOrdering(keys, parked, false, next.task("0_0")).census();
        assertThat(gauge(next, LadderMetrics.PARKED_EVENTS)).isEqualTo(2);
        assertThat(gauge(next, LadderMetrics.BLOCKED_KEYS)).isEqualTo(1);
    }

    private static double gauge(LadderMetrics metrics, String name) {
        return metrics.registry().get(name).gauge().value();
    }

    @Test
    void shouldFindTheNextFollowerWithoutRescanningTheOnesTakenBeforeIt() {
        // given at-least-once ordering and 500 followers parked on one key
        KeyValueStore<Bytes, byte[]> keys = open("keys");
        int[] visited = new int[1];
        KeyValueStore<Bytes, byte[]> parked = countingRanges(open("parked"), visited);
        KeyOrdering ordering = new KeyOrdering(keys, parked, true);
        int followers = 500;
        for (int i = 0; i < followers; i++) {
            ordering.park(KEY, ("f" + i).getBytes(StandardCharsets.UTF_8));
        }

        // when every one is taken within one commit interval (they stay in the store until the commit)
        for (int i = 0; i < followers; i++) {
            var next = ordering.pollFollower(KEY);
            assertThat(next).isPresent();
            // then they come out oldest first
            assertThat(new String(next.get().envelope(), StandardCharsets.UTF_8))
                    .isEqualTo("f" + i);
        }
        assertThat(ordering.pollFollower(KEY)).isEmpty();

        // and each look skipped at most the one taken before it: linear, not one scan of every taken
        // follower per look (that was 125,750 entries for these 500)
        assertThat(visited[0]).isLessThanOrEqualTo(2 * (followers + 1));

        // and the commit deletes them all, after which a new follower is found from the key's front
        ordering.committing();
        ordering.releaseCommitted();
        ordering.park(KEY, "late".getBytes(StandardCharsets.UTF_8));
        assertThat(ordering.pollFollower(KEY))
                .hasValueSatisfying(p -> assertThat(new String(p.envelope(), StandardCharsets.UTF_8))
                        .isEqualTo("late"));
    }

    /** The store, counting every entry its range iterators hand out. */
    @SuppressWarnings("unchecked")
    private static KeyValueStore<Bytes, byte[]> countingRanges(KeyValueStore<Bytes, byte[]> store, int[] visited) {
        return (KeyValueStore<Bytes, byte[]>) java.lang.reflect.Proxy.newProxyInstance(
                KeyOrderingTest.class.getClassLoader(), new Class<?>[] {KeyValueStore.class}, (proxy, method, args) -> {
                    Object result = invoke(store, method, args);
                    if (!method.getName().equals("range")) {
                        return result;
                    }
                    var it = (org.apache.kafka.streams.state.KeyValueIterator<Bytes, byte[]>) result;
                    return java.lang.reflect.Proxy.newProxyInstance(
                            KeyOrderingTest.class.getClassLoader(),
                            new Class<?>[] {org.apache.kafka.streams.state.KeyValueIterator.class},
                            (p, m, a) -> {
                                if (m.getName().equals("next")) {
                                    visited[0]++;
                                }
                                return invoke(it, m, a);
                            });
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
