package dev.ladder.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeConfigsResult;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.internals.KafkaFutureImpl;
import org.junit.jupiter.api.Test;

/** Describing topic configs right after creating the topics, when not every broker knows them yet. */
class TopicSetupTest {

    private static final ConfigResource ORDERS = new ConfigResource(ConfigResource.Type.TOPIC, "orders");

    /** An admin whose describeConfigs fails with {@code failure} the first {@code failures} times. */
    private static Admin admin(AtomicInteger calls, int failures, RuntimeException failure) {
        return (Admin) Proxy.newProxyInstance(Admin.class.getClassLoader(), new Class<?>[] {Admin.class}, (p, m, a) -> {
            if (!m.getName().equals("describeConfigs")) {
                throw new UnsupportedOperationException(m.getName());
            }
            KafkaFutureImpl<Config> future = new KafkaFutureImpl<>();
            if (calls.incrementAndGet() <= failures) {
                future.completeExceptionally(failure);
            } else {
                future.complete(new Config(List.of(new ConfigEntry("retention.ms", "-1"))));
            }
            Map<ConfigResource, KafkaFuture<Config>> result = Map.of(ORDERS, future);
            return new DescribeConfigsResult(result) {};
        });
    }

    @Test
    void shouldAskAgainWhileTheTopicIsNotKnownYet() {
        // given a broker that does not know the just-created topic for the first two asks
        AtomicInteger calls = new AtomicInteger();
        TopicSetup setup =
                new TopicSetup(admin(calls, 2, new UnknownTopicOrPartitionException("")), Duration.ofSeconds(5));

        // when its configs are described, then the third ask answers
        assertThat(setup.configs(List.of("orders"))).containsEntry("orders", Map.of("retention.ms", "-1"));
        assertThat(calls.get()).isEqualTo(3);
    }

    @Test
    void shouldFailAtOnceWithTheErrorsNameWhenItIsNotRetriable() {
        // given a broker that refuses the describe
        AtomicInteger calls = new AtomicInteger();
        TopicSetup setup = new TopicSetup(admin(calls, 1, new TopicAuthorizationException("")), Duration.ofSeconds(5));

        // then the error names the cause even when its message is empty, after one ask
        assertThatThrownBy(() -> setup.configs(List.of("orders")))
                .isInstanceOf(TopicSetup.TopicSetupException.class)
                .hasMessageContaining("TopicAuthorizationException");
        assertThat(calls.get()).isEqualTo(1);
    }
}
