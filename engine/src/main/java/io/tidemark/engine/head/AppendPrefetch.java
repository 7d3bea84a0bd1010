package io.tidemark.engine.head;

import io.tidemark.codecs.chunk.ChunkLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Brings the memory that {@link HeadShard#append} will touch into the cache ahead of it, for a batch of samples of
 * many series: each series' record, then the first and the last word of its open chunk.
 *
 * <p><b>Why.</b> A shard's batch holds one sample each of as many series, so each append starts with a miss on the
 * series' open chunk, which lies anywhere in the head (a chunk's region is wherever it was allocated or moved). A
 * large head does not stay in the cache beside the other threads' work between two visits of a series, so that miss
 * can go to memory: about 170 ns here, more than the rest of the append. One append at a time pays them one after another. Java has no
 * prefetch instruction, so the loads are plain ones made in a tight loop over a group of series: their misses are in
 * flight together, and the appends that follow find the lines in the cache. {@link #touchStates} must run before
 * {@link #touchChunks} for the same slots, some appends earlier, since the chunk's place is read from the record.
 * In the remote-write server the shard threads then use about a fifth less CPU per sample, measured against the write
 * threads' in the same run (docs/BENCHMARKS.md).
 *
 * <p>Reads only: a slot never used, or without an open chunk, is skipped. Shard thread only, like the appends: the
 * record and the chunk it names do not change under it.
 */
public final class AppendPrefetch {
    /** Slots whose chunks one pass of {@link #touchChunks} reads together. */
    private static final int WINDOW = 32;
    private final SeriesStates states;
    private final ChunkRegions regions;
    /** Where the chunks of the slots being touched are: their page, first byte and the word their stream goes on in. */
    private final MemorySegment[] chunkPages = new MemorySegment[WINDOW];
    private final long[] firsts = new long[WINDOW];
    private final long[] tails = new long[WINDOW];
    /** The sum of what the loads read: kept, so that the compiler cannot drop them. */
    private long sink;

    /** Prefetches for {@code head}. */
    public AppendPrefetch(final HeadShard head) {
        this.states = head.states();
        this.regions = head.regions();
    }

    /** Reads the record of each slot {@code slots[i]}, {@code from <= i < to}. */
    public void touchStates(final int[] slots, final int from, final int to) {
        long read = 0;
        for (int i = from; i < to; i++) {
            final int slot = slots[i];
            final MemorySegment page = states.page(slot);
            if (page != null) {
                read += page.get(ValueLayout.JAVA_INT, SeriesStates.offset(slot) + SeriesStates.OPEN_CHUNK);
            }
        }
        sink += read;
    }

    /**
     * Reads the first byte of the open chunk of each slot {@code slots[i]}, {@code from <= i < to} (where the append
     * writes the sample count), and a byte of the word where its bit stream goes on.
     */
    public void touchChunks(final int[] slots, final int from, final int to) {
        for (int start = from; start < to; start += WINDOW) {
            touchWindow(slots, start, Math.min(to, start + WINDOW));
        }
    }

    /**
     * Two passes over at most {@link #WINDOW} slots: where each chunk is (from the records, in the cache), then the
     * loads alone, a few instructions each, so that many of them fit in the core's reorder window at once.
     */
    private void touchWindow(final int[] slots, final int from, final int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            final int slot = slots[i];
            final MemorySegment page = states.page(slot);
            if (page == null) {
                continue;
            }
            final long at = SeriesStates.offset(slot);
            final int region = page.get(ValueLayout.JAVA_INT, at + SeriesStates.OPEN_CHUNK);
            if (region == SeriesStates.NO_CHUNK) {
                continue;
            }
            final long chunkAt = ChunkRegions.offset(region);
            final long bits = Integer.toUnsignedLong(page.get(ValueLayout.JAVA_INT, at + SeriesStates.BIT_LENGTH));
            chunkPages[n] = regions.page(region);
            firsts[n] = chunkAt;
            tails[n] = chunkAt + ChunkLayout.HEADER_BYTES + ((bits >>> 6) << 3);
            n++;
        }
        long read = 0;
        for (int k = 0; k < n; k++) {
            final MemorySegment chunk = chunkPages[k];
            read += chunk.get(ValueLayout.JAVA_BYTE, firsts[k]) + chunk.get(ValueLayout.JAVA_BYTE, tails[k]);
        }
        sink += read;
    }

    /** What the loads read, summed; for tests. */
    long sink() {
        return sink;
    }
}
