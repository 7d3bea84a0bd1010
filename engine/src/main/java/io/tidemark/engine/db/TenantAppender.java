package io.tidemark.engine.db;

import io.tidemark.index.SeriesIndex;
import io.tidemark.index.series.LabelSet;
import io.tidemark.ingest.Appender;
import io.tidemark.ingest.ProgressSignal;
import io.tidemark.ingest.BatchListener;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.LongAdder;

/**
 * One producer thread's way to write to one tenant. Resolve a series once ({@link #series}) and
 * keep the id: appending by id allocates nothing. Samples are batched per shard and published by
 * {@link #commit()}; {@link #awaitDurable(long)} waits, without allocating, until everything committed
 * is in the WAL as the durability mode defines. A series is logged with its first sample: one that
 * never gets a sample does not survive a restart. Not thread-safe.
 */
public final class TenantAppender {
    /** What {@link #seriesAll} gives a new series that the tenant's series limit refused. */
    public static final int SERIES_LIMITED = -2;

    private final SeriesIndex index;
    private final Appender appender;
    private final String tenant;
    /** The tenant's series limit, or Integer.MAX_VALUE when it has none. */
    private final int maxSeries;
    /** Counts the new series the limit refused, for the tenant's statistics. */
    private final LongAdder limitRefusals;
    /** The id {@link #series(MemorySegment, long, int)} returned last; one more is its next guess. */
    private int lastSeries = SeriesIndex.NOT_FOUND;

    TenantAppender(final SeriesIndex index, final Appender appender, final String tenant, final int maxSeries,
                   final LongAdder limitRefusals) {
        this.index = index;
        this.appender = appender;
        this.tenant = tenant;
        this.maxSeries = maxSeries == 0 ? Integer.MAX_VALUE : maxSeries;
        this.limitRefusals = limitRefusals;
    }

    /**
     * The id of the series with these canonical label bytes, created if new; lock-free and
     * allocation-free when it exists. Series that come in the order they were created (a scrape's,
     * one after another) are found by checking the id after the one returned last
     * ({@link SeriesIndex#findExpected}), without a hash-table lookup.
     *
     * @throws SeriesLimitException if the series is new and the tenant has as many series as its limit allows
     */
    public int series(final MemorySegment labels, final long offset, final int length) {
        int id = index.findExpected(labels, offset, length, lastSeries + 1);
        if (id == SeriesIndex.NOT_FOUND) {
            id = create(labels, offset, length);
            if (id == SERIES_LIMITED) {
                throw new SeriesLimitException(tenant, maxSeries);
            }
        }
        lastSeries = id;
        return id;
    }

    /** The id of a series not found by a lookup: created, unless the tenant is at its limit and it does not exist. */
    private int create(final MemorySegment labels, final long offset, final int length) {
        if (index.size() >= maxSeries) {
            // at the limit: only a series created since the caller's lookup, by another thread, may be given
            final int existing = index.find(labels, offset, length);
            if (existing == SeriesIndex.NOT_FOUND) {
                limitRefusals.increment();
            }
            return existing == SeriesIndex.NOT_FOUND ? SERIES_LIMITED : existing;
        }
        return index.getOrCreate(labels, offset, length);
    }

    /**
     * Resolves a request's worth of series at once: {@code ids[i]} becomes the id of the canonical label
     * bytes at {@code offsets[i]} (length {@code lengths[i]}), created if new. The lookups of existing
     * series overlap their cache misses ({@link SeriesIndex#findAll}), which on a large index is about
     * twice as fast as {@code count} single lookups in random order; in scrape order it mostly reads
     * records one after another. Allocation-free when every series exists;
     * {@code scratch} holds at least {@code 2 * count + 1} ints. A new series that the tenant's series limit refuses
     * gets {@link #SERIES_LIMITED}, which {@link #append} does not take; the others are created all the same.
     */
    public void seriesAll(final MemorySegment labels, final long[] offsets, final int[] lengths, final int count,
                          final int[] ids, final int[] scratch) {
        index.findAll(labels, offsets, lengths, count, ids, scratch);
        for (int i = 0; i < count; i++) {
            if (ids[i] == SeriesIndex.NOT_FOUND) {
                ids[i] = create(labels, offsets[i], lengths[i]);
            }
        }
    }

    /** The tenant's series limit ({@link TidemarkConfig#maxSeriesPerTenant()}), 0 when it has none. */
    public int seriesLimit() {
        return maxSeries == Integer.MAX_VALUE ? 0 : maxSeries;
    }

    /**
     * True if series {@code seriesId} (an id this tenant gave) was removed from the index, by head truncation or a
     * deletion; a writer holding the id may still append to it (the shard sends the sample to the series now holding
     * its labels). Unlike the rest of this class, safe from any thread: it reads the tenant's shared index.
     */
    public boolean isRemoved(final int seriesId) {
        return index.isRemoved(seriesId);
    }

    /**
     * The id of the series with these labels, created if new. Allocates.
     *
     * @throws SeriesLimitException if the series is new and the tenant has as many series as its limit allows
     */
    public int series(final LabelSet labels) {
        final MemorySegment bytes = labels.encode();
        int id = index.find(bytes, 0, (int) bytes.byteSize());
        if (id == SeriesIndex.NOT_FOUND) {
            id = create(bytes, 0, (int) bytes.byteSize());
        }
        if (id == SERIES_LIMITED) {
            throw new SeriesLimitException(tenant, maxSeries);
        }
        return id;
    }

    /**
     * Adds a sample of series {@code seriesId}; see {@link Appender#append}: it may throw {@link DiskFullException}.
     *
     * @throws IllegalArgumentException for a negative id ({@link #SERIES_LIMITED}, {@link SeriesIndex#NOT_FOUND})
     */
    public void append(final int seriesId, final long timestamp, final double value) {
        if (seriesId < 0) {
            throw notASeries(seriesId);
        }
        appender.append(seriesId, timestamp, value);
    }

    /** Out of line, to keep {@link #append} small enough to inline. */
    private static IllegalArgumentException notASeries(final int seriesId) {
        return new IllegalArgumentException("not a series id: " + seriesId);
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
