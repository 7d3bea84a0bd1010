package io.tidemark.ingest;

import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.agrona.concurrent.YieldingIdleStrategy;

/**
 * Shape of the ingest rings.
 *
 * @param shards            shard threads, each with its own ring (at least 1)
 * @param ringSize          batches per ring, a power of two
 * @param batchCapacity     samples per ring slot
 * @param backPressure      what a producer does when a ring is full
 * @param publishTimeoutNanos how long {@link BackPressure#BLOCK} waits for room before refusing
 * @param idle              how a shard thread waits when its ring is empty
 */
public record IngestConfig(int shards, int ringSize, int batchCapacity, BackPressure backPressure, long publishTimeoutNanos,
                           Idle idle) {
    /** What a producer does when its shard's ring is full. */
    public enum BackPressure {
        /** Wait up to the publish timeout for room, then refuse with {@link RingFullException}. */
        BLOCK,
        /** Refuse at once with {@link RingFullException}. */
        REFUSE
    }

    /** How an idle shard thread waits: trading CPU for the latency of the next batch. */
    public enum Idle {
        /** Spin on the ring: lowest latency, one core per shard burnt even when idle. */
        BUSY_SPIN,
        /** Spin, then yield the core to other threads. */
        YIELD,
        /**
         * Spin, yield, then park up to 1 ms at a time (the handler's timed work, group commit, runs at least that
         * often); a producer that publishes while the shard is parked unparks it, so a batch after a quiet spell waits
         * for a wake-up, not for the park to run out. Little CPU when idle.
         */
        BACKOFF,
        /** Park 100 µs at a time: least CPU, most latency. */
        SLEEP;

        IdleStrategy newStrategy() {
            return switch (this) {
                case BUSY_SPIN -> new BusySpinIdleStrategy();
                case YIELD -> new YieldingIdleStrategy();
                case BACKOFF -> new WakeableIdleStrategy();
                case SLEEP -> new SleepingIdleStrategy(100_000);
            };
        }
    }

    /** Two shards, 1,024 slots of 256 samples each per ring, block up to 5 s, back off when idle. */
    public static final IngestConfig DEFAULT = new IngestConfig(2, 1024, 256, BackPressure.BLOCK, 5_000_000_000L, Idle.BACKOFF);

    public IngestConfig {
        if (shards < 1) {
            throw new IllegalArgumentException("shards must be at least 1: " + shards);
        }
        if (ringSize < 2 || Integer.bitCount(ringSize) != 1) {
            throw new IllegalArgumentException("ringSize must be a power of two of at least 2: " + ringSize);
        }
        if (batchCapacity < 1) {
            throw new IllegalArgumentException("batchCapacity must be at least 1: " + batchCapacity);
        }
        if (publishTimeoutNanos < 0) {
            throw new IllegalArgumentException("publishTimeoutNanos must not be negative: " + publishTimeoutNanos);
        }
        if (backPressure == null || idle == null) {
            throw new IllegalArgumentException("backPressure and idle are required");
        }
    }
}
