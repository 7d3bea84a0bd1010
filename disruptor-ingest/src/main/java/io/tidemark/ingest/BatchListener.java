package io.tidemark.ingest;

/**
 * What a producer hears about its own batches from the shards, for one that must answer its client per request (the
 * binary protocol): every refused sample, with the reason, and every batch applied. A producer sets it on its
 * {@link Appender} with a tag of its own (a request id, say); every batch published afterwards carries both. For each
 * such batch the shard thread calls {@link #refused} for each sample it does not store, then {@link #applied} once the
 * batch is in the head (visible to queries), so once {@code applied} has come for every batch of a request, every
 * refusal of it has been reported.
 *
 * <p>Threads: called on the shard threads, several at once for one listener when its producer writes to several
 * shards. It must not block for long, must not throw, and should not allocate: it runs on the write path.
 */
public interface BatchListener {
    /**
     * Sample ({@code seriesId}, {@code timestamp}) of a batch tagged {@code tag} was refused for {@code reason}, one of
     * the handler's refusal codes (the engine's are {@code HeadShard.OUT_OF_ORDER}, {@code DUPLICATE_TIMESTAMP},
     * {@code OUT_OF_BOUNDS}).
     */
    void refused(long tag, int seriesId, long timestamp, int reason);

    /** A batch tagged {@code tag} has been applied: its samples are in the head, its refusals reported. */
    void applied(long tag);
}
