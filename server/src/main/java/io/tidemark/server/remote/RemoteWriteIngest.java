package io.tidemark.server.remote;

import io.tidemark.engine.db.DiskFullException;
import io.tidemark.engine.db.SeriesLimitException;
import io.tidemark.engine.db.TenantAppender;
import io.tidemark.engine.db.Tidemark;
import io.tidemark.index.series.SeriesKeyCache;
import io.tidemark.ingest.RingFullException;
import io.tidemark.memory.NativeAllocator;
import io.tidemark.memory.NativeMemoryLimitException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;

/**
 * Ingests Prometheus remote write 1.0 request bodies (snappy block of a {@code prometheus.WriteRequest})
 * into a {@link Tidemark}: decompress ({@link SnappyBlockDecoder}), decode and validate in place
 * ({@link WriteRequestDecoder}), find the series sent before by the raw bytes of their labels
 * ({@link RawLabelsCaches}, shared by the ingesters), resolve the others in one batch, append, commit once.
 * A series whose labels break a rule is skipped and reported while every good series of the request is
 * still stored; a corrupt body stores nothing. See {@code docs/remote-write.md} for the rules.
 *
 * <p>Threading: not thread-safe. Make one per thread that ingests (the server keeps one per write thread) and keep it;
 * it holds one {@link TenantAppender} per tenant it has seen and its off-heap buffers, grown to the
 * largest request up to {@link #KEEP_BUFFER_BYTES} (larger ones are freed after their request). Once warm, a request
 * of known series allocates nothing (a label cache allocates its next generation when one fills).
 *
 * <p>Durability: {@code ingest} commits and returns without waiting for the WAL; a 2xx must only be
 * answered after {@link #awaitDurable} returns true (off the event loop, or after handing the wait to
 * a blocking executor).
 */
public final class RemoteWriteIngest implements AutoCloseable {
    private static final MemorySegment EVERYTHING = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    /**
     * Buffers and per-series arrays kept between requests, at most: ordinary requests (Prometheus sends up to a few
     * thousand samples, well under a megabyte decompressed) reuse them, and a rare large one frees what it took, so a
     * server with many write threads does not keep one large request's memory on each.
     */
    static final long KEEP_BUFFER_BYTES = 8L << 20;
    static final int KEEP_SERIES = 1 << 16;

    private final Tidemark db;
    private final MetadataSink metadataSink;
    private final SnappyBlockDecoder snappy;
    private final WriteRequestDecoder decoder;
    private final RemoteWriteResult result = new RemoteWriteResult();
    private final Map<String, TenantAppender> appenders = new HashMap<>();
    private final HeadRefusals refusals = new HeadRefusals();
    private final RawLabelsCaches caches;
    private TenantAppender lastAppender;
    private String lastTenant;
    private long requests;

    /** An ingester with its own allocator and label caches, default label limit and no metadata sink. */
    public RemoteWriteIngest(final Tidemark db, final long maxDecompressedBytes) {
        this(db, RemoteWriteLimits.DEFAULT.withMaxDecompressedBytes(maxDecompressedBytes),
            NativeAllocator.withLimit(NativeAllocator.UNLIMITED), null);
    }

    /** An ingester with label caches of its own (within an eighth of the heap); see the constructor with caches. */
    public RemoteWriteIngest(final Tidemark db, final RemoteWriteLimits limits, final NativeAllocator allocator,
                             final MetadataSink metadataSink) {
        this(db, limits, allocator, metadataSink, new RawLabelsCaches(SeriesKeyCache.Budget.ofHeap(), limits.maxLabelsPerSeries()));
    }

    /**
     * An ingester writing to {@code db}, with buffers from {@code allocator} (tag {@code NETWORK}).
     *
     * @param metadataSink receives the requests' metadata entries; null drops them
     * @param caches       series ids by raw label bytes, shared with the other ingesters of {@code db}
     * @throws IllegalArgumentException if {@code caches} were made for another label limit
     */
    public RemoteWriteIngest(final Tidemark db, final RemoteWriteLimits limits, final NativeAllocator allocator,
                             final MetadataSink metadataSink, final RawLabelsCaches caches) {
        if (caches.maxLabelsPerSeries() != limits.maxLabelsPerSeries()) {
            throw new IllegalArgumentException("label caches made for " + caches.maxLabelsPerSeries() + " labels per series, not "
                + limits.maxLabelsPerSeries());
        }
        this.db = db;
        this.metadataSink = metadataSink;
        this.caches = caches;
        this.snappy = new SnappyBlockDecoder(allocator, limits.maxDecompressedBytes());
        this.decoder = new WriteRequestDecoder(allocator, limits.maxLabelsPerSeries());
    }

    /**
     * Ingests the snappy-compressed {@code WriteRequest} of {@code length} bytes at {@code offset} of
     * {@code body} into {@code tenant}. Never throws for a bad body: the result says what happened.
     *
     * @return this ingester's result object, overwritten by the next call
     */
    public RemoteWriteResult ingest(final String tenant, final MemorySegment body, final long offset, final long length) {
        try {
            return ingestRequest(tenant, body, offset, length);
        } finally {
            snappy.trim(KEEP_BUFFER_BYTES);
            decoder.trim(KEEP_BUFFER_BYTES, KEEP_SERIES);
        }
    }

    private RemoteWriteResult ingestRequest(final String tenant, final MemorySegment body, final long offset,
                                            final long length) {
        final RemoteWriteResult outcome = result;
        outcome.reset();
        refusals.begin(++requests); // a request that fails before it appends has refused nothing either
        final long decompressed;
        try {
            decompressed = snappy.decompress(body, offset, length);
            decoder.decode(snappy.output(), decompressed, caches.get(tenant));
        } catch (final RemoteWriteFormatException e) {
            outcome.fail(e.reason() == RemoteWriteFormatException.Reason.TOO_LARGE
                ? RemoteWriteResult.Outcome.TOO_LARGE : RemoteWriteResult.Outcome.MALFORMED, e.getMessage());
            return outcome;
        }
        outcome.decoded(decoder);
        final TenantAppender appender;
        try {
            appender = appender(tenant);
        } catch (final IllegalArgumentException e) {
            outcome.fail(RemoteWriteResult.Outcome.MALFORMED, "invalid tenant: " + e.getMessage());
            return outcome;
        }
        appender.reportRefusals(refusals, requests);
        lastTenant = tenant;
        try {
            final long appended = decoder.appendSamples(appender, caches.of(tenant, appender));
            caches.count(decoder.cacheHits(), decoder.slowSeries());
            appender.commit();
            outcome.stored(appended);
            if (decoder.seriesLimited() > 0) {
                outcome.limited(decoder.seriesLimited(), decoder.samplesLimited(),
                    SeriesLimitException.describe(tenant, appender.seriesLimit()));
            }
        } catch (final DiskFullException | RingFullException | NativeMemoryLimitException e) {
            appender.discard();
            outcome.fail(RemoteWriteResult.Outcome.UNAVAILABLE, e.getMessage());
            return outcome;
        } catch (final RuntimeException e) {
            appender.discard();
            outcome.fail(RemoteWriteResult.Outcome.INTERNAL_ERROR, "remote write failed: " + e);
            return outcome;
        }
        if (metadataSink != null) {
            decoder.forEachMetadata(tenant, metadataSink, decompressed);
        }
        return outcome;
    }

    /**
     * {@link #ingest(String, MemorySegment, long, long)} of the remaining bytes of {@code body} (heap or
     * direct; its position is not moved). Makes one small segment view per call: the zero-allocation way
     * for a direct buffer is {@link #ingestAt} with its address.
     */
    public RemoteWriteResult ingest(final String tenant, final ByteBuffer body) {
        return ingest(tenant, MemorySegment.ofBuffer(body), 0, body.remaining());
    }

    /**
     * {@link #ingest(String, MemorySegment, long, long)} of {@code length} bytes of native memory at
     * {@code address} (a Netty direct buffer's {@code memoryAddress() + readerIndex()}), which the
     * caller keeps valid during the call. Allocates nothing.
     */
    public RemoteWriteResult ingestAt(final String tenant, final long address, final long length) {
        return ingest(tenant, EVERYTHING, address, length);
    }

    /** Waits until the samples the last {@code ingest} committed are durable; false on timeout. */
    public boolean awaitDurable(final long timeoutNanos) {
        return lastAppender == null || lastAppender.awaitDurable(timeoutNanos);
    }

    /**
     * Samples of the last {@code ingest} that the head refused (out of order, a duplicate timestamp with another
     * value, older than the sealed data): complete once {@link #awaitDurable} or {@link #awaitApplied} returned
     * true. Zero when none.
     */
    public long headRefused() {
        return refusals.total();
    }

    /**
     * What the head refused of the last {@code ingest}, in words, for a 400 answer: counts by reason and the first
     * refused sample's series and timestamp (its labels are looked up here: only when {@link #headRefused} is positive).
     */
    public String describeHeadRefusals() {
        return refusals.total() + " samples refused, the rest stored: " + refusals.outOfOrder() + " out of order, "
            + refusals.duplicates() + " duplicate timestamps with another value, " + refusals.outOfBounds()
            + " older than the sealed data; first: " + refusals.firstReason() + " for series "
            + db.labels(lastTenant, refusals.firstSeries()) + " at timestamp " + refusals.firstTimestamp();
    }

    /** Waits until the samples the last {@code ingest} committed are visible to queries; false on timeout. */
    public boolean awaitApplied(final long timeoutNanos) {
        return lastAppender == null || lastAppender.awaitApplied(timeoutNanos);
    }

    private TenantAppender appender(final String tenant) {
        TenantAppender appender = appenders.get(tenant);
        if (appender == null) {
            appender = db.appender(tenant);
            appenders.put(tenant, appender);
        }
        lastAppender = appender;
        return appender;
    }

    /** Releases the off-heap buffers. */
    @Override
    public void close() {
        snappy.close();
        decoder.close();
    }
}
