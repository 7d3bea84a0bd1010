package io.tidemark.engine.db;

import io.tidemark.index.SeriesIndex;
import io.tidemark.index.series.LabelSet;
import io.tidemark.ingest.Appender;
import io.tidemark.ingest.ProgressSignal;
import io.tidemark.ingest.BatchListener;
import java.lang.foreign.MemorySegment;

/**
 * One producer thread's way to write to one tenant. Resolve a series once ({@link #series}) and
 * keep the id: appending by id allocates nothing. Samples are batched per shard and published by
 * {@link #commit()}; {@link #awaitDurable(long)} waits, without allocating, until everything committed
 * is in the WAL as the durability mode defines. A series is logged with its first sample: one that
 * never gets a sample does not survive a restart. Not thread-safe.
 */
public final class TenantAppender {
    private final SeriesIndex index;
    private final Appender appender;
    /** The id {@link #series(MemorySegment, long, int)} returned last; one more is its next guess. */
    private int lastSeries = SeriesIndex.NOT_FOUND;

    TenantAppender(final SeriesIndex index, final Appender appender) {
        this.index = index;
        this.appender = appender;
    }

    /**
     * The id of the series with these canonical label bytes, created if new; lock-free and
     * allocation-free when it exists. Series that come in the order they were created (a scrape's,
     * one after another) are found by checking the id after the one returned last
     * ({@link SeriesIndex#findExpected}), without a hash-table lookup.
     */
    public int series(final MemorySegment labels, final long offset, final int length) {
        int id = index.findExpected(labels, offset, length, lastSeries + 1);
        if (id == SeriesIndex.NOT_FOUND) {
            id = index.getOrCreate(labels, offset, length);
        }
        lastSeries = id;
        return id;
    }

    /**
     * Resolves a request's worth of series at once: {@code ids[i]} becomes the id of the canonical label
     * bytes at {@code offsets[i]} (length {@code lengths[i]}), created if new. The lookups of existing
     * series overlap their cache misses ({@link SeriesIndex#findAll}), which on a large index is about
     * twice as fast as {@code count} single lookups in random order; in scrape order it mostly reads
     * records one after another. Allocation-free when every series exists;
     * {@code scratch} holds at least {@code 2 * count + 1} ints.
     */
    public void seriesAll(final MemorySegment labels, final long[] offsets, final int[] lengths, final int count,
                          final int[] ids, final int[] scratch) {
        index.findAll(labels, offsets, lengths, count, ids, scratch);
        for (int i = 0; i < count; i++) {
            if (ids[i] == SeriesIndex.NOT_FOUND) {
                ids[i] = index.getOrCreate(labels, offsets[i], lengths[i]);
            }
        }
    }

    /**
     * True if series {@code seriesId} (an id this tenant gave) was removed from the index, by head truncation or a
     * deletion; a writer holding the id may still append to it (the shard sends the sample to the series now holding
     * its labels). Unlike the rest of this class, safe from any thread: it reads the tenant's shared index.
     */
    public boolean isRemoved(final int seriesId) {
        return index.isRemoved(seriesId);
    }

    /** The id of the series with these labels, created if new. Allocates. */
    public int series(final LabelSet labels) {
        return index.getOrCreate(labels);
    }

    /** Adds a sample of series {@code seriesId}; see {@link Appender#append}: it may throw {@link DiskFullException}. */
    public void append(final int seriesId, final long timestamp, final double value) {
        appender.append(seriesId, timestamp, value);
    }

    /**
     * Publishes every sample added so far.
     *
     * @throws DiskFullException while a shard's WAL cannot write for want of space; the samples not
     *                           published stay buffered and go with the next commit
     * @throws io.tidemark.ingest.RingFullException if a shard's ring stayed full; likewise
     */
    public void commit() {
        appender.commit();
    }

    /**
     * Batches published from now on report the samples the head refuses to {@code sink} with {@code tag}; see
     * {@link Appender#reportRefusals}. Null stops reporting.
     */
    public void reportRefusals(final BatchListener sink, final long tag) {
        appender.reportRefusals(sink, tag);
    }

    /** Copies the last ring sequence published to each shard into {@code into} ({@link #shards()} long). */
    public void published(final long[] into) {
        appender.published(into);
    }

    /** True once every shard has applied (or made durable) the sequences {@link #published} gave; allocates nothing. */
    public boolean reached(final long[] sequences, final boolean durable) {
        return appender.reached(sequences, durable);
    }

    /** Batches published so far; the difference across a commit is how many {@link BatchListener#applied} calls to expect. */
    public long batchesPublished() {
        return appender.batchesPublished();
    }

    /** Number of shards. */
    public int shards() {
        return appender.shards();
    }

    /** The signal the shards give when a watermark moves, for a thread that watches many appenders. */
    public ProgressSignal progress() {
        return appender.progress();
    }

    /** Drops the samples added and not yet published, for a producer that gives up after {@link DiskFullException}. */
    public void discard() {
        appender.discard();
    }

    /**
     * Waits until everything committed is applied (visible to reads); false on timeout.
     *
     * @throws DiskFullException when a shard holding some of it cannot log it now, as {@link #awaitDurable}
     */
    public boolean awaitApplied(final long timeoutNanos) {
        return appender.awaitApplied(timeoutNanos);
    }

    /**
     * Waits until everything committed is durable; false on timeout.
     *
     * @throws DiskFullException when a shard holding some of it cannot log it now (the disk is full): it may still
     *                           become durable when space returns
     */
    public boolean awaitDurable(final long timeoutNanos) {
        return appender.awaitDurable(timeoutNanos);
    }
}
