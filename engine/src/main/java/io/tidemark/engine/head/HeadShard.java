package io.tidemark.engine.head;

import io.tidemark.codecs.chunk.ChunkLayout;
import io.tidemark.codecs.chunk.GorillaEncoder;
import io.tidemark.memory.Allocation;
import io.tidemark.memory.MemoryTag;
import io.tidemark.memory.NativeAllocator;
import io.tidemark.memory.ReaderEpochs;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The in-memory head of one tenant's series owned by one shard: per series an open Gorilla chunk in
 * a fixed off-heap region, appended sample by sample by the shard thread, and the chunks already
 * cut, copied byte-exact into an append-only arena and linked newest first.
 *
 * <p>Sample rules, as Prometheus' head: a sample older than the series' newest is refused as out of
 * order; one at the newest timestamp with a different value is refused as a duplicate; one equal in
 * time and value is accepted and changes nothing. Refusals are returned and counted, never thrown.
 *
 * <p>Out-of-order window: with a window W, a sample older than its series' newest but no older than
 * the shard's newest sample minus W is taken as late (Prometheus measures from the head's newest
 * sample; here it is the shard's, which a replay of the shard's WAL reproduces exactly). Late samples
 * go, sorted, into a small open region per series (16 pairs of 16 bytes) and are sealed 16 at a time
 * into Gorilla chunks on a second list; a timestamp already in the open region is a duplicate as
 * above. Readers merge the lists; where a late sample has the timestamp of another sample, the in-order
 * one wins.
 *
 * <p>Chunks are cut when a region of the largest class is full, at {@code maxSamplesPerChunk}, or when a sample falls
 * past the end of the time window the chunk started in ({@code chunkWindowMillis}, aligned to the
 * epoch), so no chunk straddles two blocks.
 *
 * <p>Closed chunk layout in the arena (native order, in memory only):
 * {@code [i64 older chunk ref][i64 max time][i32 chunk bytes][chunk]}, the chunk as in
 * {@code docs/format/chunks.md}; its min time is the chunk's first timestamp, raw after its header.
 *
 * <p>Open chunks live in regions of a few size classes ({@link ChunkRegions}): a chunk starts in the
 * smallest class its series' previous chunk would have fitted in with room to append (the smallest class for a
 * new series) and, when it fills before a cut is due, moves byte for byte into a region twice as large, under
 * the series' version like a cut.
 *
 * <p>Sealing: once a block holds every sample before a boundary, {@link #refuseBefore} makes the head
 * refuse samples older than it ({@link #OUT_OF_BOUNDS}, Prometheus' "out of bounds") and
 * {@link #truncate} drops the chunks wholly before it. Closed chunks live in one arena per time window
 * ({@link ClosedChunks}), freed whole when the window is truncated; the {@link #truncator()} lists the emptied series.
 *
 * <p>Threads: {@link #append}, {@link #refuseBefore} and {@link #truncate} on the shard thread only. Readers ({@link SeriesCursor}) read any
 * series at any time: see {@link SeriesStates} for what is published how; a cut changes the open
 * chunk and the closed list together under the series' version (a seqlock), and retires the old
 * region through {@link ReaderEpochs}.
 */
public final class HeadShard implements AutoCloseable {
    /** {@link #append} result: stored. */
    public static final int APPENDED = 0;
    /** {@link #append} result: same timestamp and value as the newest sample; nothing changed. */
    public static final int IDENTICAL_DUPLICATE = 1;
    /** {@link #append} result: refused, older than the series' newest sample. */
    public static final int OUT_OF_ORDER = 2;
    /** {@link #append} result: refused, same timestamp as the newest sample with another value. */
    public static final int DUPLICATE_TIMESTAMP = 3;
    /** {@link #append} result: refused, older than the head's lower bound (the data before it is sealed). */
    public static final int OUT_OF_BOUNDS = 4;
    /** Bytes of each memory block of a window's closed-chunk arena. */
    static final long CLOSED_BLOCK_BYTES = 1 << 20;

    private static final VarHandle PUBLISHED_MAX_TIME = longField("publishedMaxTime");
    private static final VarHandle PUBLISHED_MIN_TIME = longField("publishedMinTime");

    private static VarHandle longField(final String name) {
        try {
            return MethodHandles.lookup().findVarHandle(HeadShard.class, name, long.class);
        } catch (final ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static final int CLOSED_HEADER_BYTES = 20;
    /** Bytes of an open out-of-order region: 16 sorted pairs, then sealed as one Gorilla chunk. */
    static final int OUT_OF_ORDER_REGION_BYTES = 256;
    /** A Gorilla chunk starts with its first timestamp, raw, big-endian, right after the chunk header. */
    static final ValueLayout.OfLong FIRST_TIMESTAMP = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);
    static final long CLOSED_OLDER = 0;
    static final long CLOSED_MAX_TIME = 8;
    static final long CLOSED_LENGTH = 16;

    private final SeriesStates states;
    private final OutOfOrderStates outOfOrderStates;
    private final long outOfOrderWindowMillis;
    private final int outOfOrderClass;
    private final MemorySegment sealScratch;
    private final Allocation sealScratchAllocation;
    /** The newest in-order timestamp of any series of this shard: late samples are measured against it. */
    private long maxTime = Long.MIN_VALUE;
    /** The oldest sample the head holds (an upper bound on it, made exact by {@link #truncate}); MAX_VALUE when empty. */
    private long minTime = Long.MAX_VALUE;
    /** {@link #maxTime} and {@link #minTime} for other threads, released as they change. */
    @SuppressWarnings("unused")
    private long publishedMaxTime = Long.MIN_VALUE;
    @SuppressWarnings("unused")
    private long publishedMinTime = Long.MAX_VALUE;
    /** Samples older than this are refused: what is before it is sealed, or being sealed. */
    private long minValidTime = Long.MIN_VALUE;
    private long outOfBounds;
    private long chunksTruncated;
    private long outOfOrderAppended;
    private final ChunkRegions regions;
    private final ClosedChunks closed;
    private final HeadTruncator truncator;
    private final ReaderEpochs epochs = new ReaderEpochs();
    private final GorillaEncoder encoder = new GorillaEncoder();
    private final int maxSamplesPerChunk;
    private final long chunkWindowMillis;
    private long samplesAppended;
    private long outOfOrder;
    private long duplicates;
    private long identicalDuplicates;
    private long chunksCut;
    private long closedBytes;
    private long regionMoves;

    /** A head without an out-of-order window: every late sample is refused. */
    public HeadShard(final NativeAllocator allocator, final int regionBytes, final int maxSamplesPerChunk,
                     final long chunkWindowMillis, final int maxRegionPages) {
        this(allocator, regionBytes, maxSamplesPerChunk, chunkWindowMillis, maxRegionPages, 0);
    }

    /**
     * @param regionBytes            bytes of the largest open chunk region, a power of two of at least 64 (256 suits 15 s scrapes)
     * @param maxSamplesPerChunk     samples after which a chunk is cut even if its region has room
     * @param chunkWindowMillis      chunks never straddle a multiple of this (the block range)
     * @param maxRegionPages         the most 64 KiB pages of open chunks
     * @param outOfOrderWindowMillis how far behind the shard's newest sample a late sample is still taken (0: never)
     */
    public HeadShard(final NativeAllocator allocator, final int regionBytes, final int maxSamplesPerChunk,
                     final long chunkWindowMillis, final int maxRegionPages, final long outOfOrderWindowMillis) {
        if (maxSamplesPerChunk < 1 || chunkWindowMillis < 1 || outOfOrderWindowMillis < 0) {
            throw new IllegalArgumentException("maxSamplesPerChunk and chunkWindowMillis must be positive, "
                + "outOfOrderWindowMillis not negative");
        }
        this.states = new SeriesStates(allocator);
        this.outOfOrderStates = new OutOfOrderStates(allocator);
        this.regions = new ChunkRegions(allocator, regionBytes, maxRegionPages, epochs);
        this.closed = new ClosedChunks(allocator, CLOSED_BLOCK_BYTES);
        this.truncator = new HeadTruncator(states, outOfOrderStates, regions, closed);
        this.maxSamplesPerChunk = maxSamplesPerChunk;
        this.chunkWindowMillis = chunkWindowMillis;
        this.outOfOrderWindowMillis = outOfOrderWindowMillis;
        this.outOfOrderClass = regions.classFor(OUT_OF_ORDER_REGION_BYTES);
        final int pairs = ChunkRegions.classBytes(outOfOrderClass) / OutOfOrderStates.PAIR_BYTES;
        this.sealScratchAllocation = allocator.allocate(MemoryTag.HEAD_CHUNKS, GorillaEncoder.maxBytes(pairs));
        this.sealScratch = sealScratchAllocation.segment();
    }

    /**
     * Appends a sample to the series in local {@code slot}. Shard thread only; allocates nothing.
     *
     * @return {@link #APPENDED}, {@link #IDENTICAL_DUPLICATE}, {@link #OUT_OF_ORDER}, {@link #DUPLICATE_TIMESTAMP}
     *     or {@link #OUT_OF_BOUNDS}
     */
    public int append(final int slot, final long timestamp, final long valueBits) {
        if (timestamp < minValidTime) {
            outOfBounds++;
            return OUT_OF_BOUNDS;
        }
        final MemorySegment page = states.ensure(slot);
        final long at = SeriesStates.offset(slot);
        final long last = page.get(ValueLayout.JAVA_LONG, at + SeriesStates.LAST_TIMESTAMP);
        if (last != SeriesStates.NO_SAMPLE && timestamp <= last) {
            if (timestamp < last) {
                if (outOfOrderWindowMillis > 0 && timestamp >= maxTime - outOfOrderWindowMillis) {
                    return appendLate(slot, page, at, timestamp, valueBits);
                }
                outOfOrder++;
                return OUT_OF_ORDER;
            }
            if (page.get(ValueLayout.JAVA_LONG, at + SeriesStates.LAST_VALUE) == valueBits) {
                identicalDuplicates++;
                return IDENTICAL_DUPLICATE;
            }
            duplicates++;
            return DUPLICATE_TIMESTAMP;
        }
        int region = page.get(ValueLayout.JAVA_INT, at + SeriesStates.OPEN_CHUNK);
        final int count = page.get(ValueLayout.JAVA_INT, at + SeriesStates.OPEN_COUNT);
        boolean appended = false;
        boolean versionOdd = false;
        if (region != SeriesStates.NO_CHUNK
            && count < maxSamplesPerChunk && timestamp < page.get(ValueLayout.JAVA_LONG, at + SeriesStates.CHUNK_WINDOW_END)) {
            resume(page, at, region, count, last);
            appended = encoder.append(timestamp, Double.longBitsToDouble(valueBits));
            if (!appended && regions.classOf(region) < regions.maxClass()) {
                region = grow(page, at, region, count, last); // leaves the version odd
                versionOdd = true;
                appended = encoder.append(timestamp, Double.longBitsToDouble(valueBits));
            }
        }
        final boolean cutting = !appended && region != SeriesStates.NO_CHUNK;
        if (!appended) {
            // A new chunk starts in the class the series' last one would fit in: most series keep their shape.
            final int fresh = regions.allocate(cutting ? regions.classFor(openBytes(page, at) + GorillaEncoder.MAX_BITS_PER_SAMPLE / 8 + 1)
                : 0); // may throw: nothing has changed yet
            if (cutting) {
                try {
                    cut(page, at, region, versionOdd);
                } catch (final RuntimeException | Error failure) {
                    regions.giveBackUnused(fresh);
                    throw failure;
                }
                versionOdd = true;
            }
            region = fresh;
            final MemorySegment chunkPage = regions.page(region);
            final long chunkAt = ChunkRegions.offset(region);
            encoder.start(chunkPage, chunkAt, chunkAt + regions.bytes(region));
            encoder.append(timestamp, Double.longBitsToDouble(valueBits));
            page.set(ValueLayout.JAVA_LONG, at + SeriesStates.CHUNK_WINDOW_END, windowEnd(timestamp));
            page.set(ValueLayout.JAVA_INT, at + SeriesStates.OPEN_CHUNK, region);
        }
        encoder.finish();
        page.set(ValueLayout.JAVA_LONG, at + SeriesStates.LAST_TIMESTAMP, timestamp);
        page.set(ValueLayout.JAVA_LONG, at + SeriesStates.LAST_VALUE, valueBits);
        page.set(ValueLayout.JAVA_LONG, at + SeriesStates.PREVIOUS_DELTA, encoder.previousDelta());
        page.set(ValueLayout.JAVA_INT, at + SeriesStates.BIT_LENGTH, (int) encoder.bitLength());
        page.set(ValueLayout.JAVA_INT, at + SeriesStates.WINDOW, encoder.valueWindow());
        SeriesStates.setIntRelease(page, at + SeriesStates.OPEN_COUNT, appended ? count + 1 : 1);
        if (versionOdd) {
            // The new or moved chunk becomes visible with the cut or the move: the version is even again.
            SeriesStates.setIntRelease(page, at + SeriesStates.VERSION, page.get(ValueLayout.JAVA_INT, at + SeriesStates.VERSION) + 1);
        }
        samplesAppended++;
        if (timestamp > maxTime) {
            maxTime = timestamp;
            PUBLISHED_MAX_TIME.setRelease(this, timestamp);
        }
        if (timestamp < minTime) {
            minTime = timestamp;
            PUBLISHED_MIN_TIME.setRelease(this, timestamp);
        }
        return APPENDED;
    }

    /**
     * Takes a late sample into the series' open out-of-order region, kept sorted; a full region is
     * sealed first as a Gorilla chunk on the series' out-of-order list. A timestamp already in the open
     * region is a duplicate as in order (identical or refused). Throws before changing anything if
     * memory cannot be had.
     */
    private int appendLate(final int slot, final MemorySegment page, final long at, final long timestamp, final long valueBits) {
        final MemorySegment late = outOfOrderStates.ensure(slot);
        final long lateAt = OutOfOrderStates.offset(slot);
        int region = late.get(ValueLayout.JAVA_INT, lateAt + OutOfOrderStates.OPEN_REGION);
        int count = late.get(ValueLayout.JAVA_INT, lateAt + OutOfOrderStates.OPEN_COUNT);
        int insertAt = 0;
        if (region != SeriesStates.NO_CHUNK) {
            final MemorySegment pairs = regions.page(region);
            final long base = ChunkRegions.offset(region);
            int low = 0;
            int high = count;
            while (low < high) {
                final int middle = (low + high) >>> 1;
                if (pairs.get(ValueLayout.JAVA_LONG, base + (long) middle * OutOfOrderStates.PAIR_BYTES) < timestamp) {
                    low = middle + 1;
                } else {
                    high = middle;
                }
            }
            final long pairAt = base + (long) low * OutOfOrderStates.PAIR_BYTES;
            if (low < count && pairs.get(ValueLayout.JAVA_LONG, pairAt) == timestamp) {
                if (pairs.get(ValueLayout.JAVA_LONG, pairAt + Long.BYTES) == valueBits) {
                    identicalDuplicates++;
                    return IDENTICAL_DUPLICATE;
                }
                duplicates++;
                return DUPLICATE_TIMESTAMP;
            }
            insertAt = low;
        }
        final boolean sealing = region != SeriesStates.NO_CHUNK && count == regions.bytes(region) / OutOfOrderStates.PAIR_BYTES;
        final int fresh = region == SeriesStates.NO_CHUNK || sealing ? regions.allocate(outOfOrderClass) : SeriesStates.NO_CHUNK;
        long sealed = SeriesStates.NO_CHUNK_REF;
        if (sealing) {
            try {
                sealed = seal(region, count, late.get(ValueLayout.JAVA_LONG, lateAt + OutOfOrderStates.NEWEST_SEALED));
            } catch (final RuntimeException | Error failure) {
                regions.giveBackUnused(fresh);
                throw failure;
            }
        }
        final int version = page.get(ValueLayout.JAVA_INT, at + SeriesStates.VERSION);
        SeriesStates.setIntRelease(page, at + SeriesStates.VERSION, version + 1);
        if (sealed != SeriesStates.NO_CHUNK_REF) {
            SeriesStates.setLongRelease(late, lateAt + OutOfOrderStates.NEWEST_SEALED, sealed);
            regions.retire(region);
        }
        if (fresh != SeriesStates.NO_CHUNK) {
            region = fresh;
            count = 0;
            insertAt = 0;
            late.set(ValueLayout.JAVA_INT, lateAt + OutOfOrderStates.OPEN_REGION, fresh);
        }
        final MemorySegment pairs = regions.page(region);
        final long base = ChunkRegions.offset(region);
        final long pairAt = base + (long) insertAt * OutOfOrderStates.PAIR_BYTES;
        MemorySegment.copy(pairs, pairAt, pairs, pairAt + OutOfOrderStates.PAIR_BYTES,
            (long) (count - insertAt) * OutOfOrderStates.PAIR_BYTES);
        pairs.set(ValueLayout.JAVA_LONG, pairAt, timestamp);
        pairs.set(ValueLayout.JAVA_LONG, pairAt + Long.BYTES, valueBits);
        SeriesStates.setIntRelease(late, lateAt + OutOfOrderStates.OPEN_COUNT, count + 1);
        SeriesStates.setIntRelease(page, at + SeriesStates.VERSION, version + 2);
        samplesAppended++;
        outOfOrderAppended++;
        if (timestamp < minTime) {
            minTime = timestamp;
            PUBLISHED_MIN_TIME.setRelease(this, timestamp);
        }
        return APPENDED;
    }

    /**
     * Encodes the {@code count} sorted pairs of a full out-of-order region as a Gorilla chunk in the
     * closed arena, linked to {@code older}; returns its reference, not yet published.
     */
    private long seal(final int region, final int count, final long older) {
        final MemorySegment pairs = regions.page(region);
        final long base = ChunkRegions.offset(region);
        encoder.start(sealScratch, 0, sealScratch.byteSize());
        for (int i = 0; i < count; i++) {
            final long pairAt = base + (long) i * OutOfOrderStates.PAIR_BYTES;
            encoder.append(pairs.get(ValueLayout.JAVA_LONG, pairAt), Double.longBitsToDouble(pairs.get(ValueLayout.JAVA_LONG, pairAt + Long.BYTES)));
        }
        final int length = encoder.finish();
        final long newest = pairs.get(ValueLayout.JAVA_LONG, base + (long) (count - 1) * OutOfOrderStates.PAIR_BYTES);
        final long ref = closed.reserve(windowEnd(newest), CLOSED_HEADER_BYTES + length);
        final MemorySegment block = closed.block(ref);
        final long to = ClosedChunks.offset(ref);
        block.set(ValueLayout.JAVA_LONG, to + CLOSED_OLDER, older);
        block.set(ValueLayout.JAVA_LONG, to + CLOSED_MAX_TIME, newest);
        block.set(ValueLayout.JAVA_INT_UNALIGNED, to + CLOSED_LENGTH, length);
        MemorySegment.copy(sealScratch, 0, block, to + CLOSED_HEADER_BYTES, length);
        closedBytes += CLOSED_HEADER_BYTES + length;
        return ref;
    }

    /** Points the encoder at the open chunk in {@code region}, with the state saved after its last sample. */
    private void resume(final MemorySegment page, final long at, final int region, final int count, final long last) {
        final MemorySegment chunkPage = regions.page(region);
        final long chunkAt = ChunkRegions.offset(region);
        encoder.resume(chunkPage, chunkAt, chunkAt + regions.bytes(region), count,
            Integer.toUnsignedLong(page.get(ValueLayout.JAVA_INT, at + SeriesStates.BIT_LENGTH)), last,
            page.get(ValueLayout.JAVA_LONG, at + SeriesStates.PREVIOUS_DELTA),
            page.get(ValueLayout.JAVA_LONG, at + SeriesStates.LAST_VALUE),
            page.get(ValueLayout.JAVA_INT, at + SeriesStates.WINDOW));
    }

    /**
     * Moves the full open chunk into a region of the next class, byte for byte, and resumes the
     * encoder there; the old region is retired. Leaves the version odd for the caller to close after
     * the new state is stored. Throws before changing anything if no region can be had.
     */
    private int grow(final MemorySegment page, final long at, final int region, final int count, final long last) {
        final int bigger = regions.allocate(regions.classOf(region) + 1);
        MemorySegment.copy(regions.page(region), ChunkRegions.offset(region), regions.page(bigger), ChunkRegions.offset(bigger),
            openBytes(page, at));
        SeriesStates.setIntRelease(page, at + SeriesStates.VERSION, page.get(ValueLayout.JAVA_INT, at + SeriesStates.VERSION) + 1);
        page.set(ValueLayout.JAVA_INT, at + SeriesStates.OPEN_CHUNK, bigger);
        regions.retire(region);
        regionMoves++;
        resume(page, at, bigger, count, last);
        return bigger;
    }

    /** Bytes of the open chunk of the series at {@code at}, header included. */
    private static long openBytes(final MemorySegment page, final long at) {
        return ChunkLayout.HEADER_BYTES + (Integer.toUnsignedLong(page.get(ValueLayout.JAVA_INT, at + SeriesStates.BIT_LENGTH)) + 7) / 8;
    }

    /** The end (exclusive) of the window {@code timestamp} falls in; one division per chunk, not per sample. */
    long windowEnd(final long timestamp) {
        final long window = Math.floorDiv(timestamp, chunkWindowMillis);
        return window == Long.MAX_VALUE / chunkWindowMillis ? Long.MAX_VALUE : (window + 1) * chunkWindowMillis;
    }

    /**
     * Copies the open chunk into the closed arena and retires its region; leaves the version odd for
     * the caller to close. Throws before changing anything if the arena cannot grow.
     */
    private void cut(final MemorySegment page, final long at, final int region, final boolean versionOdd) {
        final int length = (int) openBytes(page, at);
        final long ref = closed.reserve(page.get(ValueLayout.JAVA_LONG, at + SeriesStates.CHUNK_WINDOW_END), CLOSED_HEADER_BYTES + length);
        if (!versionOdd) {
            SeriesStates.setIntRelease(page, at + SeriesStates.VERSION, page.get(ValueLayout.JAVA_INT, at + SeriesStates.VERSION) + 1);
        }
        final MemorySegment chunkPage = regions.page(region);
        final long chunkAt = ChunkRegions.offset(region);
        final MemorySegment block = closed.block(ref);
        final long to = ClosedChunks.offset(ref);
        block.set(ValueLayout.JAVA_LONG, to + CLOSED_OLDER, page.get(ValueLayout.JAVA_LONG, at + SeriesStates.NEWEST_CLOSED));
        block.set(ValueLayout.JAVA_LONG, to + CLOSED_MAX_TIME, page.get(ValueLayout.JAVA_LONG, at + SeriesStates.LAST_TIMESTAMP));
        block.set(ValueLayout.JAVA_INT_UNALIGNED, to + CLOSED_LENGTH, length);
        MemorySegment.copy(chunkPage, chunkAt, block, to + CLOSED_HEADER_BYTES, length);
        SeriesStates.setLongRelease(page, at + SeriesStates.NEWEST_CLOSED, ref);
        page.set(ValueLayout.JAVA_INT, at + SeriesStates.CLOSED_COUNT, page.get(ValueLayout.JAVA_INT, at + SeriesStates.CLOSED_COUNT) + 1);
        regions.retire(region);
        chunksCut++;
        closedBytes += CLOSED_HEADER_BYTES + length;
    }

    SeriesStates states() {
        return states;
    }

    int maxSamplesPerChunk() {
        return maxSamplesPerChunk;
    }

    long chunkWindowMillis() {
        return chunkWindowMillis;
    }

    long outOfOrderWindowMillis() {
        return outOfOrderWindowMillis;
    }

    /** Sets what {@link HeadSnapshot} restored besides the series: bounds, and closed chunk bytes and count. */
    void restored(final long minValid, final long min, final long max, final long bytes, final long chunks) {
        refuseBefore(minValid);
        minTime = Math.min(minTime, min);
        maxTime = Math.max(maxTime, max);
        PUBLISHED_MIN_TIME.setRelease(this, minTime);
        PUBLISHED_MAX_TIME.setRelease(this, maxTime);
        closedBytes += bytes;
        chunksCut += chunks;
    }

    ChunkRegions regions() {
        return regions;
    }

    ClosedChunks closed() {
        return closed;
    }

    OutOfOrderStates outOfOrderStates() {
        return outOfOrderStates;
    }

    ReaderEpochs epochs() {
        return epochs;
    }

    /**
     * From now on refuses samples older than {@code boundary} ({@link #OUT_OF_BOUNDS}); a lower
     * boundary than the current one changes nothing. Shard thread only; the sealer asks for it before
     * it reads what lies before the boundary, so that nothing can be added there behind its back.
     */
    public void refuseBefore(final long boundary) {
        if (boundary > minValidTime) {
            minValidTime = boundary;
        }
    }

    /** The boundary below which samples are refused; Long.MIN_VALUE when none. Shard thread only. */
    public long minValidTime() {
        return minValidTime;
    }

    /**
     * Drops every chunk whose samples all lie before {@code boundary}, which must be sealed in a block
     * already, and frees the arenas of the windows that end at or before it once no reader can be
     * inside them; also refuses older samples from now on. Samples before the boundary that share a
     * chunk with later ones stay until that chunk goes: readers of head and blocks together must drop
     * duplicates. Shard thread only; takes time proportional to the series of the shard.
     *
     * @return the chunks dropped (closed, open and out-of-order ones)
     */
    public long truncate(final long boundary) {
        refuseBefore(boundary);
        final long dropped = truncator.truncate(boundary);
        closed.retireThrough(boundary, epochs);
        closed.freeRetired(epochs);
        regions.reclaim();
        chunksTruncated += dropped;
        minTime = truncator.oldest();
        PUBLISHED_MIN_TIME.setRelease(this, minTime);
        return dropped;
    }

    /**
     * Frees the window arenas that truncation retired once no reader can be inside them; returns
     * whether any were waiting. Shard thread only; cheap when none are.
     */
    public boolean freeRetiredWindows() {
        if (closed.retiredArenas() == 0) {
            return false;
        }
        closed.freeRetired(epochs);
        return true;
    }

    /** The newest sample the head took; Long.MIN_VALUE if none. Any thread. */
    public long maxTime() {
        return (long) PUBLISHED_MAX_TIME.getAcquire(this);
    }

    /**
     * The oldest sample the head holds, Long.MAX_VALUE if none (samples before the last truncation
     * boundary that share a chunk with later ones count). Any thread.
     */
    public long minTime() {
        return (long) PUBLISHED_MIN_TIME.getAcquire(this);
    }

    /** Samples refused as older than the head's lower bound. */
    public long outOfBounds() {
        return outOfBounds;
    }

    /** Chunks dropped by truncation so far. */
    public long chunksTruncated() {
        return chunksTruncated;
    }

    /** Samples stored. */
    public long samplesAppended() {
        return samplesAppended;
    }

    /** Late samples taken within the out-of-order window. */
    public long outOfOrderAppended() {
        return outOfOrderAppended;
    }

    /** Samples refused as out of order. */
    public long outOfOrder() {
        return outOfOrder;
    }

    /** Samples refused for a timestamp the series already has with another value. */
    public long duplicates() {
        return duplicates;
    }

    /** Samples equal to the newest one, accepted without change. */
    public long identicalDuplicates() {
        return identicalDuplicates;
    }

    /** Chunks cut so far. */
    public long chunksCut() {
        return chunksCut;
    }

    /**
     * Takes memory for open and closed chunks from the allocator ahead of need, so that the writer does not
     * pay for it; see {@link ChunkRegions#growAhead()}, {@link ClosedChunks#growAhead()}. Any thread; returns how
     * many allocations it made (a slab, closed-chunk blocks).
     *
     * @throws io.tidemark.memory.NativeMemoryLimitException if that would exceed the allocator's limit
     */
    public int growAhead() {
        return (regions.growAhead() ? 1 : 0) + closed.growAhead();
    }

    /** Open chunks moved into a larger region so far. */
    public long regionMoves() {
        return regionMoves;
    }

    /** The slots the last {@link #truncate} left without samples, and the ones forgotten; shard thread only. */
    public HeadTruncator truncator() {
        return truncator;
    }

    /** Open chunks now. */
    public long openChunks() {
        return regions.regionsInUse();
    }

    /** Off-heap bytes held: series records, open chunk pages, closed chunk arena. */
    public long nativeBytes() {
        return states.nativeBytes() + outOfOrderStates.nativeBytes() + regions.nativeBytes() + closed.nativeBytes()
            + sealScratch.byteSize();
    }

    /** Bytes of closed chunks, headers included. */
    public long closedBytes() {
        return closedBytes;
    }

    @Override
    public void close() {
        regions.close();
        closed.close();
        states.close();
        outOfOrderStates.close();
        sealScratchAllocation.close();
    }
}
