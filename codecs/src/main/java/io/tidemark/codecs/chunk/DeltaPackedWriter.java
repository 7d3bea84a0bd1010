package io.tidemark.codecs.chunk;

import io.tidemark.memory.BitWriter;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Writes an integer sequence as a delta-packed run (layout in {@link ChunkLayout}): first value raw,
 * then deltas minus their minimum, bit-packed in miniblocks of 32 with one width per miniblock.
 * {@link #plan} sizes the run exactly before {@link #write} stores it, so an encoder can compare
 * encodings without writing them.
 *
 * <p>Not thread-safe; reusable. Allocates nothing once built.
 */
final class DeltaPackedWriter {
    private final byte[] widths = new byte[ChunkLayout.MAX_SAMPLES / ChunkLayout.MINIBLOCK_VALUES + 1];
    private final BitWriter bits = new BitWriter();
    private long[] values;
    private int count;
    private long minDelta;
    private int miniblocks;

    /** Sizes the run of the first {@code n} values; returns its byte length. */
    long plan(final long[] x, final int n) {
        this.values = x;
        this.count = n;
        if (n == 1) {
            miniblocks = 0;
            return Long.BYTES;
        }
        long min = Long.MAX_VALUE;
        for (int i = 1; i < n; i++) {
            min = Math.min(min, x[i] - x[i - 1]);
        }
        minDelta = min;
        miniblocks = (n - 1 + ChunkLayout.MINIBLOCK_VALUES - 1) / ChunkLayout.MINIBLOCK_VALUES;
        long packedBytes = 0;
        for (int block = 0; block < miniblocks; block++) {
            final int from = 1 + block * ChunkLayout.MINIBLOCK_VALUES;
            final int to = Math.min(n, from + ChunkLayout.MINIBLOCK_VALUES);
            long union = 0;
            for (int i = from; i < to; i++) {
                union |= x[i] - x[i - 1] - min;
            }
            final int width = 64 - Long.numberOfLeadingZeros(union);
            widths[block] = (byte) width;
            packedBytes += ChunkLayout.miniblockBytes(to - from, width);
        }
        return Long.BYTES + Varint.signedLength(min) + miniblocks + packedBytes;
    }

    /** Writes the planned run at {@code offset}; returns the offset after it. */
    long write(final MemorySegment segment, final long offset) {
        final long[] x = values;
        segment.set(ChunkLayout.I64, offset, x[0]);
        if (count == 1) {
            return offset + Long.BYTES;
        }
        long position = Varint.writeSigned(segment, offset + Long.BYTES, minDelta);
        MemorySegment.copy(widths, 0, segment, ValueLayout.JAVA_BYTE, position, miniblocks);
        position += miniblocks;
        for (int block = 0; block < miniblocks; block++) {
            final int width = widths[block];
            if (width == 0) {
                continue;
            }
            final int from = 1 + block * ChunkLayout.MINIBLOCK_VALUES;
            final int to = Math.min(count, from + ChunkLayout.MINIBLOCK_VALUES);
            final long blockBytes = ChunkLayout.miniblockBytes(to - from, width);
            bits.wrap(segment, position, position + blockBytes);
            for (int i = from; i < to; i++) {
                bits.writeBits(x[i] - x[i - 1] - minDelta, width);
            }
            bits.finish();
            position += blockBytes;
        }
        return position;
    }
}
