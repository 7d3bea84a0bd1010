package io.tidemark.ingest;

/**
 * What a shard thread does with the batches of its ring. Every method runs on the shard's own
 * thread, one at a time, so an implementation owns its state without locks.
 */
public interface ShardHandler {
    /**
     * Called once on the shard thread before the first batch.
     *
     * @param shard the shard, for {@link IngestShard#markDurable(long)}
     */
    void onStart(IngestShard shard);

    /**
     * Applies one batch. Returning means the samples are applied (visible to queries); if they are
     * not yet durable, the handler later calls {@link IngestShard#markDurable(long)} with a sequence
     * at or past this one. Must not throw for bad samples: refuse and count them instead. A throw is
     * a fault of the handler: the shard stops and reports it.
     *
     * @param batch      the samples; valid only during the call
     * @param sequence   the ring sequence of the batch, increasing by one per batch
     * @param endOfBatch true if no further batch is waiting right now (a good moment to write out)
     */
    void onBatch(SampleBatch batch, long sequence, boolean endOfBatch);

    /**
     * Called after every run of batches and whenever the ring is empty, for time-driven work such as
     * group commit. Returns how much work it did (0 lets the shard idle). By default there is none.
     *
     * @param nowNanos {@link System#nanoTime()}
     */
    default int onIdle(final long nowNanos) {
        return 0;
    }

    /** Called once on the shard thread after the last batch, when the ring is closed and drained. By default nothing. */
    default void onClose() {
    }
}
