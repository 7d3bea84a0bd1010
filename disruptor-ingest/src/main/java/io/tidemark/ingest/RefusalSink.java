package io.tidemark.ingest;

/**
 * Where a shard reports the samples it refused, for a producer that must tell its client which ones and why (the
 * binary protocol's acknowledgements). A producer sets it on its {@link Appender} with a tag of its own (a request
 * id, say); every batch published afterwards carries both, and the shard thread calls {@link #refused} for each
 * sample of such a batch that it does not store, before the batch counts as applied. So once a producer has seen
 * its batches applied, every refusal of them has been reported.
 *
 * <p>Threads: called on the shard threads, several at once for one sink when its producer writes to several
 * shards. It must not block for long, must not throw, and should not allocate: it runs on the write path.
 */
public interface RefusalSink {
    /**
     * Sample ({@code seriesId}, {@code timestamp}) of a batch tagged {@code tag} was refused for {@code reason}, one of
     * the handler's refusal codes (the engine's are {@code HeadShard.OUT_OF_ORDER}, {@code DUPLICATE_TIMESTAMP},
     * {@code OUT_OF_BOUNDS}).
     */
    void refused(long tag, int seriesId, long timestamp, int reason);
}
