package io.tidemark.codecs.chunk;

/**
 * Reads a delta-packed run (layout in {@link ChunkLayout}) from a padded heap copy of the chunk
 * ({@link ChunkBytes}) into a {@code long[]}: each segment's widths and size are validated against
 * the chunk end before anything is unpacked, then the {@link MiniblockUnpacker} decodes the segment
 * in one pass, the stride undone as it goes for the grid form and stride 8. Stride 1 needs a serial
 * sum, done here or, for decimal values, by the caller together with the scaling.
 *
 * <p>Not thread-safe; reusable. Allocates nothing.
 */
final class DeltaPackedReader {
    private final MiniblockUnpacker unpacker;
    private int position;

    DeltaPackedReader(final MiniblockUnpacker unpacker) {
        this.unpacker = unpacker;
    }

    /** The offset just after the last run read. */
    int position() {
        return position;
    }

    /** Reads a run of {@code n} values at {@code offset} into {@code out[0..n)}; the chunk ends at {@code end}. */
    void read(final byte[] bytes, final int offset, final int end, final long[] out, final int n) {
        if (!read(bytes, offset, end, out, n, true)) {
            undoNarrowStride(out, 1, n);
        }
    }

    /**
     * {@link #read(byte[], int, int, long[], int)}, except that with {@code sumLater} a stride-1 run is left
     * as {@code out[0]} and the deltas {@code out[1..n)}, for the caller to sum in its own pass. Returns
     * whether {@code out} holds the values.
     */
    boolean read(final byte[] bytes, final int offset, final int end, final long[] out, final int n,
                 final boolean sumLater) {
        if (offset + Long.BYTES > end) {
            throw new CorruptChunkException(offset, "truncated: no room for the first value of a packed run");
        }
        out[0] = ChunkBytes.word(bytes, offset);
        position = offset + Long.BYTES;
        if (n == 1) {
            return true;
        }
        if (position >= end) {
            throw new CorruptChunkException(position, "truncated: packed run stride expected");
        }
        final int stride = bytes[position++];
        if (stride == ChunkLayout.WIDE_STRIDE) {
            final int headCount = Math.min(ChunkLayout.WIDE_STRIDE - 1, n - 1);
            readSegment(bytes, end, out, 1, headCount, MiniblockUnpacker.PLAIN, 0, 0);
            undoNarrowStride(out, 1, 1 + headCount);
            readSegment(bytes, end, out, 1 + headCount, n - 1 - headCount, MiniblockUnpacker.WIDE, 0, 0);
        } else if (stride == 1) {
            readSegment(bytes, end, out, 1, n - 1, MiniblockUnpacker.PLAIN, 0, 0);
            if (!sumLater) {
                undoNarrowStride(out, 1, n);
            }
            return !sumLater;
        } else if (stride == ChunkLayout.GRID_STRIDE) {
            final long step = readVarint(bytes, end);
            readSegment(bytes, end, out, 1, n - 1, MiniblockUnpacker.GRID, out[0], step);
        } else {
            throw new CorruptChunkException(position - 1, "packed run stride " + stride + ", expected "
                + ChunkLayout.GRID_STRIDE + ", 1 or " + ChunkLayout.WIDE_STRIDE);
        }
        return true;
    }

    private static void undoNarrowStride(final long[] out, final int from, final int to) {
        long accumulator = out[from - 1];
        for (int i = from; i < to; i++) {
            accumulator += out[i];
            out[i] = accumulator;
        }
    }

    /** Unpacks the deltas of one segment of {@code count} values into {@code out[at..at+count)}. */
    private void readSegment(final byte[] bytes, final int end, final long[] out, final int at, final int count,
                             final int form, final long first, final long step) {
        if (count == 0) {
            return;
        }
        final long minDelta = readVarint(bytes, end);
        final int miniblocks = (count + ChunkLayout.MINIBLOCK_VALUES - 1) / ChunkLayout.MINIBLOCK_VALUES;
        final int widthsAt = position;
        if (widthsAt + miniblocks > end) {
            throw new CorruptChunkException(widthsAt, "truncated: " + miniblocks + " miniblock widths expected");
        }
        long packedBytes = 0;
        for (int block = 0; block < miniblocks; block++) {
            final int width = bytes[widthsAt + block];
            if (width < 0 || width > 64) {
                throw new CorruptChunkException(widthsAt + block, "miniblock width " + width + ", expected 0..64");
            }
            final int values = Math.min(ChunkLayout.MINIBLOCK_VALUES, count - block * ChunkLayout.MINIBLOCK_VALUES);
            packedBytes += ChunkLayout.miniblockBytes(values, width);
        }
        final int blockAt = widthsAt + miniblocks;
        if (blockAt + packedBytes > end) {
            throw new CorruptChunkException(blockAt,
                "truncated: packed run needs " + packedBytes + " bytes, " + (end - blockAt) + " left");
        }
        unpacker.segment(bytes, widthsAt, blockAt, minDelta, out, at, count, form, first, step);
        position = blockAt + (int) packedBytes;
    }

    /** Reads a zigzag varint at {@code offset} (see {@link #position()} for the offset after it). */
    long readSignedVarint(final byte[] bytes, final int offset, final int end) {
        position = offset;
        return readVarint(bytes, end);
    }

    private long readVarint(final byte[] bytes, final int end) {
        long bits = 0;
        final int start = position;
        for (int shift = 0; shift < 64; shift += 7) {
            if (position >= end) {
                throw new CorruptChunkException(position, "truncated: varint runs past the chunk end");
            }
            final byte b = bytes[position++];
            bits |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return Varint.unzigzag(bits);
            }
        }
        throw new CorruptChunkException(start, "varint longer than " + Varint.MAX_BYTES + " bytes");
    }
}
