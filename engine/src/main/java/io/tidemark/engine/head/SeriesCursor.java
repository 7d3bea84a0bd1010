package io.tidemark.engine.head;

import io.tidemark.codecs.chunk.ChunkDecoder;
import io.tidemark.codecs.chunk.ChunkLayout;
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
    private long[] lateTimestamps = new long[HeadShard.OUT_OF_ORDER_REGION_BYTES / OutOfOrderStates.PAIR_BYTES];
    private long[] lateValueBits = new long[HeadShard.OUT_OF_ORDER_REGION_BYTES / OutOfOrderStates.PAIR_BYTES];
    private long[] mergedTimestamps = new long[512];
    private double[] mergedValues = new double[512];
    private int size;
    private int position;

    /**
     * Whether the head may hold samples of local {@code slot} with {@code minTime <= t <= maxTime}, judged without
     * reading them: the series' newest sample is not before {@code minTime} (nor before the head's oldest, below
     * which its samples are gone) and the head's oldest sample is not after {@code maxTime}. Never false when the
     * head holds such a sample; true for a few series whose head samples all lie after {@code maxTime}. Any thread.
     */
    public static boolean mayHold(final HeadShard head, final int slot, final long minTime, final long maxTime) {
        final MemorySegment page = head.states().page(slot);
        if (page == null) {
            return false;
        }
        final long last = SeriesStates.getLongAcquire(page, SeriesStates.offset(slot) + SeriesStates.LAST_TIMESTAMP);
        final long oldest = head.minTime();
        return last != SeriesStates.NO_SAMPLE && last >= minTime && last >= oldest && oldest <= maxTime;
    }

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
            final MemorySegment late = head.outOfOrderStates().page(slot);
            final long lateAt = OutOfOrderStates.offset(slot);
            int lateCount = 0;
            long newestLate = SeriesStates.NO_CHUNK_REF;
            while (true) {
                // A consistent snapshot of where the series' chunks are, and a copy of its few open late
                // samples; the decoding below needs no retry, since closed chunks never change and the
                // epoch keeps the open chunk's region from reuse.
                final int version = SeriesStates.getIntAcquire(page, at + SeriesStates.VERSION);
                openCount = SeriesStates.getIntAcquire(page, at + SeriesStates.OPEN_COUNT);
                region = page.get(ValueLayout.JAVA_INT, at + SeriesStates.OPEN_CHUNK);
                openBits = page.get(ValueLayout.JAVA_INT, at + SeriesStates.BIT_LENGTH);
                newest = SeriesStates.getLongAcquire(page, at + SeriesStates.NEWEST_CLOSED);
                if (late != null) {
                    lateCount = copyLate(head, late, lateAt);
                    newestLate = SeriesStates.getLongAcquire(late, lateAt + OutOfOrderStates.NEWEST_SEALED);
                }
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
            if (late != null) {
                mergeLate(head.closed(), newestLate, lateCount, minTime, maxTime);
            }
            return size;
        } finally {
            head.epochs().exit(epoch);
        }
    }

    private void readClosed(final ClosedChunks closed, final long newest, final long minTime, final long maxTime) {
        int chunks = 0;
        for (long ref = newest; ref != SeriesStates.NO_CHUNK_REF; ) {
            final MemorySegment block = closed.block(ref);
            final long at = ClosedChunks.offset(ref);
            if (block.get(ValueLayout.JAVA_LONG, at + HeadShard.CLOSED_MAX_TIME) < minTime) {
                break; // this chunk and every older one end before the range
            }
            if (chunks == chunkRefs.length) {
                chunkRefs = Arrays.copyOf(chunkRefs, chunks * 2);
            }
            chunkRefs[chunks++] = ref;
            ref = SeriesStates.getLongAcquire(block, at + HeadShard.CLOSED_OLDER); // truncation may relink it
        }
        for (int c = chunks - 1; c >= 0; c--) {
            final long ref = chunkRefs[c];
            final MemorySegment block = closed.block(ref);
            final long at = ClosedChunks.offset(ref);
            if (block.get(HeadShard.FIRST_TIMESTAMP, at + HeadShard.CLOSED_HEADER_BYTES + ChunkLayout.HEADER_BYTES) > maxTime) {
                continue;
            }
            final int length = block.get(ValueLayout.JAVA_INT_UNALIGNED, at + HeadShard.CLOSED_LENGTH);
            final int decoded = decoder.decode(block, at + HeadShard.CLOSED_HEADER_BYTES, length, chunkTimestamps, chunkValues);
            keep(decoded, minTime, maxTime);
        }
    }

    /** Copies the open late pairs into this cursor (inside the version check); returns how many. */
    private int copyLate(final HeadShard head, final MemorySegment late, final long lateAt) {
        final int count = SeriesStates.getIntAcquire(late, lateAt + OutOfOrderStates.OPEN_COUNT);
        final int region = late.get(ValueLayout.JAVA_INT, lateAt + OutOfOrderStates.OPEN_REGION);
        if (region == SeriesStates.NO_CHUNK || count <= 0) {
            return 0;
        }
        final int copied = Math.min(count, lateTimestamps.length); // a torn read is retried by the caller
        final MemorySegment pairs = head.regions().page(region);
        final long base = ChunkRegions.offset(region);
        for (int i = 0; i < copied; i++) {
            lateTimestamps[i] = pairs.get(ValueLayout.JAVA_LONG, base + (long) i * OutOfOrderStates.PAIR_BYTES);
            lateValueBits[i] = pairs.get(ValueLayout.JAVA_LONG, base + (long) i * OutOfOrderStates.PAIR_BYTES + Long.BYTES);
        }
        return copied;
    }

    /** Merges the series' sealed late chunks and its open late samples into the in-order samples kept. */
    private void mergeLate(final ClosedChunks closed, final long newestLate, final int lateCount, final long minTime,
                           final long maxTime) {
        for (long ref = newestLate; ref != SeriesStates.NO_CHUNK_REF; ) {
            final MemorySegment block = closed.block(ref);
            final long at = ClosedChunks.offset(ref);
            ref = SeriesStates.getLongAcquire(block, at + HeadShard.CLOSED_OLDER); // truncation may relink it
            if (block.get(ValueLayout.JAVA_LONG, at + HeadShard.CLOSED_MAX_TIME) < minTime
                || block.get(HeadShard.FIRST_TIMESTAMP, at + HeadShard.CLOSED_HEADER_BYTES + ChunkLayout.HEADER_BYTES) > maxTime) {
                continue; // late chunks are not in time order: look at every one
            }
            final int length = block.get(ValueLayout.JAVA_INT_UNALIGNED, at + HeadShard.CLOSED_LENGTH);
            final int decoded = decoder.decode(block, at + HeadShard.CLOSED_HEADER_BYTES, length, chunkTimestamps, chunkValues);
            merge(chunkTimestamps, chunkValues, null, decoded, minTime, maxTime);
        }
        merge(lateTimestamps, null, lateValueBits, lateCount, minTime, maxTime);
    }

    /**
     * Merges a sorted run (values as doubles, or as raw bits when {@code runValues} is null) into the
     * sorted samples kept, within the range; a timestamp already kept keeps its sample.
     */
    private void merge(final long[] runTimestamps, final double[] runValues, final long[] runValueBits, final int count,
                       final long minTime, final long maxTime) {
        if (count == 0) {
            return;
        }
        if (mergedTimestamps.length < size + count) {
            final int capacity = Math.max(size + count, mergedTimestamps.length * 2);
            mergedTimestamps = new long[capacity];
            mergedValues = new double[capacity];
        }
        int kept = 0;
        int run = 0;
        int out = 0;
        while (kept < size || run < count) {
            if (run < count && (runTimestamps[run] < minTime || runTimestamps[run] > maxTime)) {
                run++;
                continue;
            }
            if (run == count || kept < size && timestamps[kept] <= runTimestamps[run]) {
                if (run < count && timestamps[kept] == runTimestamps[run]) {
                    run++; // the sample already kept wins
                }
                mergedTimestamps[out] = timestamps[kept];
                mergedValues[out++] = values[kept++];
            } else {
                mergedTimestamps[out] = runTimestamps[run];
                mergedValues[out++] = runValues != null ? runValues[run] : Double.longBitsToDouble(runValueBits[run]);
                run++;
            }
        }
        final long[] swapTimestamps = timestamps;
        final double[] swapValues = values;
        timestamps = mergedTimestamps;
        values = mergedValues;
        mergedTimestamps = swapTimestamps;
        mergedValues = swapValues;
        size = out;
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
