package io.tidemark.ingest;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * The shards and their rings: where producers publish and shard threads drain.
 *
 * <p>Routing: series {@code id} of any tenant belongs to shard {@code id % shards}. Series ids are
 * dense and handed out in order, so shards get equal shares, and a shard can keep its per-series
 * state in dense arrays at {@code id / shards}.
 *
 * <p>Producers write through an {@link Appender} each (not shared between threads). Closing stops
 * new publishes (they fail with {@link IllegalStateException}), waits for publishes in flight,
 * lets every shard drain its ring into its handler, and stops the threads; nothing published is
 * dropped, except by a shard whose handler refuses writes at that moment
 * ({@link IngestShard#refuseWrites}).
 */
public final class Ingest implements AutoCloseable {
    private final IngestConfig config;
    private final IngestShard[] shards;
    /** Publishes in flight; negative once closed. */
    private final AtomicInteger publishing = new AtomicInteger();
    private final ProgressSignal progress = new ProgressSignal();

    /**
     * Starts {@code config.shards()} shard threads.
     *
     * @param handlers the handler of each shard, by shard number
     */
    public Ingest(final IngestConfig config, final IntFunction<ShardHandler> handlers) {
        this.config = config;
        this.shards = new IngestShard[config.shards()];
        for (int i = 0; i < shards.length; i++) {
            shards[i] = new IngestShard(i, config, handlers.apply(i), "tidemark-shard-" + i, progress);
        }
        for (final IngestShard shard : shards) {
            shard.start();
        }
    }

    /** The configuration. */
    public IngestConfig config() {
        return config;
    }

    /** Number of shards. */
    public int shardCount() {
        return shards.length;
    }

    /** Shard {@code i}. */
    public IngestShard shard(final int i) {
        return shards[i];
    }

    /** The signal every shard gives when a watermark moves. */
    public ProgressSignal progress() {
        return progress;
    }

    /** The shard that owns series {@code seriesId}. */
    public int shardOf(final int seriesId) {
        return seriesId % shards.length;
    }

    /** A new appender for one producer thread, writing samples of {@code tenant}. */
    public Appender appender(final int tenant) {
        return new Appender(this, tenant);
    }

    long publish(final int shard, final int tenant, final int[] series, final long[] timestamps, final double[] values,
                 final int count, final BatchListener refusals, final long tag) {
        if (publishing.getAndIncrement() < 0) {
            publishing.getAndDecrement();
            throw new IllegalStateException("ingest is closed");
        }
        try {
            return shards[shard].publish(tenant, series, timestamps, values, count, config, refusals, tag);
        } finally {
            publishing.getAndDecrement();
        }
    }

    /**
     * Stops accepting, drains every ring into its handler and stops the shard threads. If interrupted
     * while waiting, it may be called again to finish waiting.
     */
    @Override
    public void close() throws InterruptedException {
        // Wait for publishes in flight, then shut the door: from now on the count stays negative.
        // Calling again (after an interrupt, say) skips to waiting for the shards.
        while (publishing.get() >= 0 && !publishing.compareAndSet(0, Integer.MIN_VALUE)) {
            Thread.onSpinWait();
        }
        for (final IngestShard shard : shards) {
            shard.closeAndDrain();
        }
    }
}
