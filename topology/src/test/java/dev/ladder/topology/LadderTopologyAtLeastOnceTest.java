package dev.ladder.topology;

import org.apache.kafka.streams.StreamsConfig;

/** The topology suite with at-least-once processing. */
class LadderTopologyAtLeastOnceTest extends LadderTopologyTest {
    @Override
    String guarantee() {
        return StreamsConfig.AT_LEAST_ONCE;
    }
}
