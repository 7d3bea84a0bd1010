package io.tidemark.codecs.chunk;

import io.tidemark.memory.BitWriter;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Writes an integer sequence as a delta-packed run (layout in {@link ChunkLayout}): the first value
 * raw, a stride, then the deltas as frame-of-reference segments bit-packed in miniblocks of 32 with
 * one width per miniblock. {@link #plan} tries both strides and the grid form (residuals from the line
 * through the first and last value), keeps the smallest run (on a tie the grid form, then stride 8:
 * both decode without a serial prefix sum) and sizes it exactly before {@link #write} stores it.
 *
 * <p>Not thread-safe; reusable. Allocates nothing once sized for the longest run it has seen.
 */
final class DeltaPackedWriter {
    private final BitWriter bits = new BitWriter();
    private final Segment head = new Segment();
    private final Segment body = new Segment();
    private final Segment spare = new Segment();
    private final Segment grid = new Segment();
    private long[] deltas = new long[ChunkLayout.MINIBLOCK_VALUES];
    private long[] values;
    private int count;
    private int stride;
    private long gridStep;

    /** Sizes the run of the first {@code n} values; returns its byte length. */
    long plan(final long[] x, final int n) {
        this.values = x;
        this.count = n;
        if (n == 1) {
            return Long.BYTES;
        }
        if (deltas.length < n) {
            deltas = new long[Math.max(n, 2 * deltas.length)];
        }
        final int headCount = Math.min(ChunkLayout.WIDE_STRIDE - 1, n - 1);
        fillDeltas(x, 1, 1 + headCount, 1);
        final long headBytes = head.plan(deltas, 1, headCount);
        fillDeltas(x, 1 + headCount, n, ChunkLayout.WIDE_STRIDE);
        final long wideBytes = headBytes + body.plan(deltas, 1 + headCount, n - 1 - headCount);
        fillDeltas(x, 1, n, 1);
        final long narrowBytes = spare.plan(deltas, 1, n - 1);
        gridStep = ((x[n - 1] - x[0]) << ChunkLayout.GRID_STEP_FRACTION_BITS) / (n - 1);
        fillGrid(x, n, gridStep);
        final long gridBytes = Varint.signedLength(gridStep) + grid.plan(deltas, 1, n - 1);
        if (gridBytes <= wideBytes && gridBytes <= narrowBytes) {
            stride = ChunkLayout.GRID_STRIDE;
            body.copyFrom(grid);
            return Long.BYTES + 1 + gridBytes;
        }
        if (wideBytes <= narrowBytes) {
            stride = ChunkLayout.WIDE_STRIDE;
            return Long.BYTES + 1 + wideBytes;
        }
        stride = 1;
        body.copyFrom(spare);
        return Long.BYTES + 1 + narrowBytes;
    }

    /**
     * deltas[i] = x[i] - x[0] - ((i * step) >> 16) for i in [1, n): the residuals from the line through
     * the first value, modulo 2^64 (the decoder's {@link MiniblockUnpacker#segment} in its grid form undoes exactly this).
     */
    private void fillGrid(final long[] x, final int n, final long step) {
        final long first = x[0];
        long line = step;
        for (int i = 1; i < n; i++, line += step) {
            deltas[i] = x[i] - first - (line >> ChunkLayout.GRID_STEP_FRACTION_BITS);
        }
    }

    /** deltas[i] = x[i] - x[i - stride] for i in [from, to). */
    private void fillDeltas(final long[] x, final int from, final int to, final int step) {
        for (int i = from; i < to; i++) {
            deltas[i] = x[i] - x[i - step];
        }
    }

    /** Writes the planned run at {@code offset}; returns the offset after it. */
    long write(final MemorySegment segment, final long offset) {
        final long[] x = values;
        segment.set(ChunkLayout.I64, offset, x[0]);
        if (count == 1) {
            return offset + Long.BYTES;
        }
        segment.set(ValueLayout.JAVA_BYTE, offset + Long.BYTES, (byte) stride);
        long position = offset + Long.BYTES + 1;
        if (stride == ChunkLayout.WIDE_STRIDE) {
            final int headCount = Math.min(ChunkLayout.WIDE_STRIDE - 1, count - 1);
            fillDeltas(x, 1, 1 + headCount, 1);
            position = head.write(segment, position, deltas, 1, bits);
            fillDeltas(x, 1 + headCount, count, ChunkLayout.WIDE_STRIDE);
            return body.write(segment, position, deltas, 1 + headCount, bits);
        }
        if (stride == ChunkLayout.GRID_STRIDE) {
            position = Varint.writeSigned(segment, position, gridStep);
            fillGrid(x, count, gridStep);
            return body.write(segment, position, deltas, 1, bits);
        }
        fillDeltas(x, 1, count, 1);
        return body.write(segment, position, deltas, 1, bits);
    }

    /** One frame-of-reference segment: minimum, per-miniblock widths, packed residuals. */
    private static final class Segment {
        private final byte[] widths = new byte[ChunkLayout.MAX_SAMPLES / ChunkLayout.MINIBLOCK_VALUES + 1];
        private long minDelta;
        private int count;
        private int miniblocks;
        private long bytes;

        long plan(final long[] deltas, final int from, final int n) {
            count = n;
            if (n == 0) {
                miniblocks = 0;
                bytes = 0;
                return 0;
            }
            long min = Long.MAX_VALUE;
            for (int i = from; i < from + n; i++) {
                min = Math.min(min, deltas[i]);
            }
            minDelta = min;
            miniblocks = (n + ChunkLayout.MINIBLOCK_VALUES - 1) / ChunkLayout.MINIBLOCK_VALUES;
            long packed = 0;
            for (int block = 0; block < miniblocks; block++) {
                final int start = from + block * ChunkLayout.MINIBLOCK_VALUES;
                final int end = Math.min(from + n, start + ChunkLayout.MINIBLOCK_VALUES);
                long union = 0;
                for (int i = start; i < end; i++) {
                    union |= deltas[i] - min;
                }
                final int width = 64 - Long.numberOfLeadingZeros(union);
                widths[block] = (byte) width;
                packed += ChunkLayout.miniblockBytes(end - start, width);
            }
            bytes = Varint.signedLength(min) + miniblocks + packed;
            return bytes;
        }

        void copyFrom(final Segment other) {
            minDelta = other.minDelta;
            count = other.count;
            miniblocks = other.miniblocks;
            bytes = other.bytes;
            System.arraycopy(other.widths, 0, widths, 0, miniblocks);
        }

        long write(final MemorySegment segment, final long offset, final long[] deltas, final int from, final BitWriter bits) {
            if (count == 0) {
                return offset;
            }
            long position = Varint.writeSigned(segment, offset, minDelta);
            MemorySegment.copy(widths, 0, segment, ValueLayout.JAVA_BYTE, position, miniblocks);
            position += miniblocks;
            for (int block = 0; block < miniblocks; block++) {
                final int width = widths[block];
                final int start = from + block * ChunkLayout.MINIBLOCK_VALUES;
                final int end = Math.min(from + count, start + ChunkLayout.MINIBLOCK_VALUES);
                final long blockBytes = ChunkLayout.miniblockBytes(end - start, width);
                if (width > 0) {
                    bits.wrap(segment, position, position + blockBytes);
                    for (int i = start; i < end; i++) {
                        bits.writeBits(deltas[i] - minDelta, width);
                    }
                    bits.finish();
                }
                position += blockBytes;
            }
            return position;
        }
    }
}
