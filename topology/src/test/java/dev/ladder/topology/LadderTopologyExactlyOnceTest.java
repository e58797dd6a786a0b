package dev.ladder.topology;

import org.apache.kafka.streams.StreamsConfig;

/** The topology suite with exactly-once (v2) processing, Ladder's default. */
class LadderTopologyExactlyOnceTest extends LadderTopologyTest {
    @Override
    String guarantee() {
        return StreamsConfig.EXACTLY_ONCE_V2;
    }
}
