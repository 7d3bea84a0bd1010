package io.tidemark.engine.head;

import io.tidemark.codecs.chunk.ChunkDecoder;
import io.tidemark.codecs.chunk.ChunkLayout;
import io.tidemark.memory.AppendOnlyBlocks;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * Reads one series' samples in a time range from a {@link HeadShard}, oldest first, while the shard
 * thread appends. Reusable: {@link #reset} it for the next series; allocates only when a series has
 * more chunks or samples than any before it.
 *
 * <p>Consistency: a reset reads where the series' chunks are under its version (retrying only those
 * few reads while a chunk is being cut), then decodes inside the head's reader epoch, so the open
 * chunk's region cannot be recycled while it is decoded. The samples returned are those the series had at the snapshot: every sample appended
 * before the reset began, maybe some appended during it, never a partial one.
 *
 * <p>Not thread-safe: one cursor per reading thread.
 */
public final class SeriesCursor {
    private final ChunkDecoder decoder = new ChunkDecoder();
    private long[] chunkRefs = new long[16];
    private long[] timestamps = new long[512];
    private double[] values = new double[512];
    private long[] chunkTimestamps = new long[ChunkLayout.MAX_SAMPLES];
    private double[] chunkValues = new double[ChunkLayout.MAX_SAMPLES];
    private int size;
    private int position;

    /**
     * Loads the samples of local {@code slot} with {@code minTime <= t <= maxTime}; returns how many.
     * A slot the shard never wrote has none.
     */
    public int reset(final HeadShard head, final int slot, final long minTime, final long maxTime) {
        size = 0;
        position = -1;
        final MemorySegment page = head.states().page(slot);
        if (page == null) {
            return 0;
        }
        final long at = SeriesStates.offset(slot);
        final long epoch = head.epochs().enter();
        try {
            int openCount;
            int region;
            int openBits;
            long newest;
            while (true) {
                // A consistent snapshot of where the series' chunks are; the decoding below needs no retry,
                // since closed chunks never change and the epoch keeps the open chunk's region from reuse.
                final int version = SeriesStates.getIntAcquire(page, at + SeriesStates.VERSION);
                openCount = SeriesStates.getIntAcquire(page, at + SeriesStates.OPEN_COUNT);
                region = page.get(ValueLayout.JAVA_INT, at + SeriesStates.OPEN_CHUNK);
                openBits = page.get(ValueLayout.JAVA_INT, at + SeriesStates.BIT_LENGTH);
                newest = SeriesStates.getLongAcquire(page, at + SeriesStates.NEWEST_CLOSED);
                VarHandle.loadLoadFence(); // the loads above complete before the version is read again
                if ((version & 1) == 0 && SeriesStates.getIntAcquire(page, at + SeriesStates.VERSION) == version) {
                    break;
                }
                Thread.onSpinWait();
            }
            readClosed(head.closed(), newest, minTime, maxTime);
            if (openCount > 0 && region != SeriesStates.NO_CHUNK) {
                final long length = ChunkLayout.HEADER_BYTES + (Integer.toUnsignedLong(openBits) + 7) / 8;
                keep(decodeAtMost(head.regions().page(region), ChunkRegions.offset(region), length, openCount), minTime, maxTime);
            }
            return size;
        } finally {
            head.epochs().exit(epoch);
        }
    }

    private void readClosed(final AppendOnlyBlocks closed, final long newest, final long minTime, final long maxTime) {
        int chunks = 0;
        for (long ref = newest; ref != SeriesStates.NO_CHUNK_REF; ) {
            final MemorySegment block = closed.block(ref);
            final long at = AppendOnlyBlocks.offset(ref);
            if (block.get(ValueLayout.JAVA_LONG_UNALIGNED, at + HeadShard.CLOSED_MAX_TIME) < minTime) {
                break; // this chunk and every older one end before the range
            }
            if (chunks == chunkRefs.length) {
                chunkRefs = Arrays.copyOf(chunkRefs, chunks * 2);
            }
            chunkRefs[chunks++] = ref;
            ref = block.get(ValueLayout.JAVA_LONG_UNALIGNED, at + HeadShard.CLOSED_OLDER);
        }
        for (int c = chunks - 1; c >= 0; c--) {
            final long ref = chunkRefs[c];
            final MemorySegment block = closed.block(ref);
            final long at = AppendOnlyBlocks.offset(ref);
            if (block.get(HeadShard.FIRST_TIMESTAMP, at + HeadShard.CLOSED_HEADER_BYTES + ChunkLayout.HEADER_BYTES) > maxTime) {
                continue;
            }
            final int length = block.get(ValueLayout.JAVA_INT_UNALIGNED, at + HeadShard.CLOSED_LENGTH);
            final int decoded = decoder.decode(block, at + HeadShard.CLOSED_HEADER_BYTES, length, chunkTimestamps, chunkValues);
            keep(decoded, minTime, maxTime);
        }
    }

    /** Decodes the open chunk, of which only {@code count} samples are published (the header may say more). */
    private int decodeAtMost(final MemorySegment page, final long offset, final long length, final int count) {
        return decoder.decodeGorillaPrefix(page, offset, length, count, chunkTimestamps, chunkValues);
    }

    private void keep(final int decoded, final long minTime, final long maxTime) {
        if (size + decoded > timestamps.length) {
            final int capacity = Math.max(size + decoded, timestamps.length * 2);
            timestamps = Arrays.copyOf(timestamps, capacity);
            values = Arrays.copyOf(values, capacity);
        }
        for (int i = 0; i < decoded; i++) {
            final long t = chunkTimestamps[i];
            if (t >= minTime && t <= maxTime) {
                timestamps[size] = t;
                values[size] = chunkValues[i];
                size++;
            }
        }
    }

    /** Advances to the next sample; false when there is none. */
    public boolean next() {
        return ++position < size;
    }

    /** Timestamp of the current sample. */
    public long timestamp() {
        return timestamps[position];
    }

    /** Value of the current sample, bit pattern as stored. */
    public double value() {
        return values[position];
    }

    /** Samples loaded by the last reset. */
    public int size() {
        return size;
    }
}
