package io.tidemark.engine.wal;

/**
 * Receives the records of a WAL during replay, in sequence order. The views are reused from record
 * to record and point into the mapped segment: read them during the call, copy what must outlive it.
 * Visitors of different shards run on different threads; one shard's visitor runs on one thread.
 * An exception from a visitor stops the replay of its shard and reaches the caller; nothing is cut.
 */
public interface WalVisitor {
    /** A series and its labels; it comes before the series' first samples. */
    void series(SeriesRecordView series);

    /** A batch of samples; iterate with {@link SamplesRecordView#next()}. */
    void samples(SamplesRecordView samples);
}
