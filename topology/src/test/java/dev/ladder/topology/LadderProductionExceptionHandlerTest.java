package dev.ladder.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ladder.policy.LadderSettings;
import dev.ladder.policy.TopicNames;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.junit.jupiter.api.Test;

/** A user's production exception handler that answers RESUME never drops a record of Ladder's own topics. */
class LadderProductionExceptionHandlerTest {

    /** A handler as users write them: "log and continue". */
    public static final class ContinueHandler implements ProductionExceptionHandler {
        static int calls;

        @Override
        public Response handleError(
                ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
            calls++;
            return Response.resume();
        }

        @Override
        public void configure(Map<String, ?> configs) {}
    }

    private final LadderSettings settings = LadderSettings.builder("orders")
            .outputTopicPattern(TopicNames.DEFAULT_OUTPUT_PATTERN)
            .build();

    @Test
    void shouldTakeOverAUserHandlerAsItsDelegate() {
        // given the user's properties put over Ladder's defaults
        Properties props = LadderTopology.streamsDefaults(settings);
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, ContinueHandler.class.getName());

        // when
        LadderProductionExceptionHandler.install(props, settings);
        LadderProductionExceptionHandler.install(props, settings);

        // then
        assertThat(props.get(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG))
                .isEqualTo(LadderProductionExceptionHandler.class);
        assertThat(props.get(LadderProductionExceptionHandler.DELEGATE_CONFIG))
                .isEqualTo(ContinueHandler.class.getName());
    }

    @Test
    void shouldFailInsteadOfDroppingATierDeadLetterOrChangelogRecord() {
        LadderProductionExceptionHandler handler = configured();
        int before = ContinueHandler.calls;
        for (String topic : new String[] {
            "orders-retry-1m", "orders-retry-30m", "orders-dlt", "ladder-orders-ladder-timers-changelog"
        }) {
            ProductionExceptionHandler.Response answer =
                    handler.handleError(null, record(topic), new TimeoutException("t"));
            assertThat(answer.result()).as(topic).isEqualTo(ProductionExceptionHandler.Result.FAIL);
        }
        assertThat(ContinueHandler.calls - before)
                .as("the user's handler was still asked")
                .isEqualTo(4);
    }

    @Test
    void shouldLeaveTheUsersAnswerForOtherTopics() {
        LadderProductionExceptionHandler handler = configured();
        assertThat(handler.handleError(null, record("orders-out"), new RecordTooLargeException("big"))
                        .result())
                .isEqualTo(ProductionExceptionHandler.Result.RESUME);
    }

    private LadderProductionExceptionHandler configured() {
        Properties props = LadderTopology.streamsDefaults(settings);
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, ContinueHandler.class);
        LadderProductionExceptionHandler.install(props, settings);
        Map<String, Object> configs = new HashMap<>();
        props.forEach((k, v) -> configs.put(k.toString(), v));
        LadderProductionExceptionHandler handler = new LadderProductionExceptionHandler();
        handler.configure(configs);
        return handler;
    }

    private static ProducerRecord<byte[], byte[]> record(String topic) {
        return new ProducerRecord<>(topic, new byte[] {1}, new byte[] {2});
    }
}
