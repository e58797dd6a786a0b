package dev.ladder.bench;

/**
 * How big each scenario is. {@link #quick()} fits the whole run in under 3 minutes on 2 cores;
 * {@link #smoke()} is the CI smoke test; {@link #full()} is what docs/benchmarks.md reports.
 *
 * @param mode name printed in the report
 * @param runs runs of each side (A B A B …)
 * @param happyRecords records per run of the happy path
 * @param latencyRate records per second of the paced latency phase
 * @param latencyRecords records of the paced latency phase
 * @param retryRecords records per run of the 10 % failure scenario
 * @param httpRecords records per run of the I/O-bound scenario
 * @param pendingTimers pending retries of the timers-store scenario
 * @param pendingProbe records piped through the topology with and without the pending retries
 * @param recoveryPending pending retries when the child JVM is killed
 * @param recoveryRuns kill-and-restart runs of each side
 * @param peers run the peers (Spring Kafka, Parallel Consumer) beside Ladder and its baseline
 * @param atLeastOnce run the happy path at-least-once too
 * @param peerRetryRecords records per run of a peer in the failure scenario (Spring's blocking
 *     retries take about 0.35 s of one consumer per record at 10 % failures, so it gets fewer)
 */
record Sizes(
        String mode,
        int runs,
        int happyRecords,
        int latencyRate,
        int latencyRecords,
        int retryRecords,
        int httpRecords,
        int pendingTimers,
        int pendingProbe,
        int recoveryPending,
        int recoveryRuns,
        boolean peers,
        boolean atLeastOnce,
        int peerRetryRecords) {

    static Sizes smoke() {
        return new Sizes("smoke", 1, 1_000, 200, 100, 200, 40, 2_000, 500, 200, 1, false, false, 40);
    }

    static Sizes quick() {
        return new Sizes("quick", 3, 5_000, 500, 300, 500, 600, 50_000, 2_000, 2_000, 1, false, true, 100);
    }

    /** The same sizes with the peers on. */
    Sizes withPeers() {
        return new Sizes(
                mode + "+peers",
                runs,
                happyRecords,
                latencyRate,
                latencyRecords,
                retryRecords,
                httpRecords,
                pendingTimers,
                pendingProbe,
                recoveryPending,
                recoveryRuns,
                true,
                true,
                peerRetryRecords);
    }

    static Sizes full() {
        return new Sizes("full", 3, 300_000, 1_000, 2_000, 5_000, 2_000, 1_000_000, 10_000, 20_000, 3, true, true, 100);
    }

    /**
     * Whether the throughput scenarios (1 and 3) run every side once, unmeasured, before the measured
     * runs: the JIT compiles what the side runs (Kafka's clients, the HTTP client, the side's own
     * code), which otherwise lands in the first measured run of whichever side goes first. Off for
     * the CI smoke test.
     */
    boolean warmup() {
        return !mode.startsWith("smoke");
    }

    /** Events of the soak (scenario 6): CI size in smoke, the 20,000 in full. */
    int soakEvents() {
        return mode.startsWith("full") ? 20_000 : mode.startsWith("quick") ? 2_000 : 600;
    }

    /** Keys of the soak: 1,000 in full, else five events a key. */
    int soakKeys() {
        return mode.startsWith("full") ? 1_000 : soakEvents() / 5;
    }

    /**
     * Ladder's {@code handler.concurrency} values swept in the I/O-bound scenario: the 1, 8,
     * 32, 64 and 128, but only the budget-matched one in the smoke (each value is one more Streams app).
     */
    java.util.List<Integer> concurrencySweep() {
        return mode.startsWith("smoke")
                ? java.util.List.of(HttpBench.MATCHED_CONCURRENCY)
                : java.util.List.of(1, 8, 32, 64, 128);
    }

    /** Events of the burst with failures (scenario 7): the 20,000 in full. */
    int burstEvents() {
        return mode.startsWith("full") ? 20_000 : mode.startsWith("quick") ? 4_000 : 600;
    }

    /** Keys of the burst: 1,000 in full, else twenty events a key (as in full). */
    int burstKeys() {
        return burstEvents() / 20;
    }
}
