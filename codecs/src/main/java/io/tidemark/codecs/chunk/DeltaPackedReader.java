package io.tidemark.codecs.chunk;

/**
 * Reads a delta-packed run (layout in {@link ChunkLayout}) from a padded heap copy of the chunk
 * ({@link ChunkBytes}) into a {@code long[]}. Widths and sizes are validated against the chunk end
 * before any packed data is read, so every unpacking load lands inside the chunk or its padding.
 *
 * <p>Not thread-safe; reusable. Allocates nothing.
 */
final class DeltaPackedReader {
    private int position;

    /** The offset just after the last run read. */
    int position() {
        return position;
    }

    /** Reads a run of {@code n} values at {@code offset} into {@code out[0..n)}; the chunk ends at {@code end}. */
    void read(final byte[] bytes, final int offset, final int end, final long[] out, final int n) {
        if (offset + Long.BYTES > end) {
            throw new CorruptChunkException(offset, "truncated: no room for the first value of a packed run");
        }
        long accumulator = ChunkBytes.word(bytes, offset);
        out[0] = accumulator;
        position = offset + Long.BYTES;
        if (n == 1) {
            return;
        }
        final long minDelta = readVarint(bytes, end);
        final int miniblocks = (n - 1 + ChunkLayout.MINIBLOCK_VALUES - 1) / ChunkLayout.MINIBLOCK_VALUES;
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
            final int values = Math.min(ChunkLayout.MINIBLOCK_VALUES, n - 1 - block * ChunkLayout.MINIBLOCK_VALUES);
            packedBytes += ChunkLayout.miniblockBytes(values, width);
        }
        int blockAt = widthsAt + miniblocks;
        if (blockAt + packedBytes > end) {
            throw new CorruptChunkException(blockAt,
                "truncated: packed run needs " + packedBytes + " bytes, " + (end - blockAt) + " left");
        }
        int i = 1;
        for (int block = 0; block < miniblocks; block++) {
            final int width = bytes[widthsAt + block];
            final int to = Math.min(n, i + ChunkLayout.MINIBLOCK_VALUES);
            final int blockBytes = (int) ChunkLayout.miniblockBytes(to - i, width);
            if (width == 0) {
                for (; i < to; i++) {
                    accumulator += minDelta;
                    out[i] = accumulator;
                }
            } else if (width <= 57) {
                final int shift = 64 - width;
                for (int bit = 0; i < to; i++, bit += width) {
                    final long word = ChunkBytes.word(bytes, blockAt + (bit >>> 3));
                    accumulator += minDelta + ((word << (bit & 7)) >>> shift);
                    out[i] = accumulator;
                }
            } else {
                final long blockBit = (long) blockAt * 8;
                for (long bit = 0; i < to; i++, bit += width) {
                    accumulator += minDelta + ChunkBytes.bits(bytes, blockBit + bit, width);
                    out[i] = accumulator;
                }
            }
            blockAt += blockBytes;
        }
        position = blockAt;
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
