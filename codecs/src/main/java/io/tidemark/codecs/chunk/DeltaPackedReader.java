package io.tidemark.codecs.chunk;

import io.tidemark.memory.BitReader;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Reads a delta-packed run (layout in {@link ChunkLayout}) into a {@code long[]}. Widths and sizes
 * are validated against the chunk end before any packed data is read; miniblocks that end at least
 * 8 bytes before the chunk end are unpacked with one unchecked word load per value.
 *
 * <p>Not thread-safe; reusable. Allocates nothing.
 */
final class DeltaPackedReader {
    private long position;

    /** The offset just after the last run read. */
    long position() {
        return position;
    }

    /**
     * Reads a run of {@code n} values at {@code offset} into {@code out[0..n)}; the chunk ends at
     * {@code end}. {@code chunkStart} is for error messages.
     */
    void read(final MemorySegment segment, final long chunkStart, final long offset, final long end, final long[] out,
              final int n) {
        if (offset + Long.BYTES > end) {
            throw new CorruptChunkException(offset - chunkStart, "truncated: no room for the first value of a packed run");
        }
        long accumulator = segment.get(ChunkLayout.I64, offset);
        out[0] = accumulator;
        position = offset + Long.BYTES;
        if (n == 1) {
            return;
        }
        final long minDelta = readVarint(segment, chunkStart, end);
        final int miniblocks = (n - 1 + ChunkLayout.MINIBLOCK_VALUES - 1) / ChunkLayout.MINIBLOCK_VALUES;
        final long widthsAt = position;
        if (widthsAt + miniblocks > end) {
            throw new CorruptChunkException(widthsAt - chunkStart, "truncated: " + miniblocks + " miniblock widths expected");
        }
        long packedBytes = 0;
        for (int block = 0; block < miniblocks; block++) {
            final int width = segment.get(ValueLayout.JAVA_BYTE, widthsAt + block);
            if (width < 0 || width > 64) {
                throw new CorruptChunkException(widthsAt + block - chunkStart, "miniblock width " + width + ", expected 0..64");
            }
            final int values = Math.min(ChunkLayout.MINIBLOCK_VALUES, n - 1 - block * ChunkLayout.MINIBLOCK_VALUES);
            packedBytes += ChunkLayout.miniblockBytes(values, width);
        }
        long blockAt = widthsAt + miniblocks;
        if (blockAt + packedBytes > end) {
            throw new CorruptChunkException(blockAt - chunkStart,
                "truncated: packed run needs " + packedBytes + " bytes, " + (end - blockAt) + " left");
        }
        int i = 1;
        for (int block = 0; block < miniblocks; block++) {
            final int width = segment.get(ValueLayout.JAVA_BYTE, widthsAt + block);
            final int to = Math.min(n, i + ChunkLayout.MINIBLOCK_VALUES);
            final long blockBytes = ChunkLayout.miniblockBytes(to - i, width);
            if (width == 0) {
                for (; i < to; i++) {
                    accumulator += minDelta;
                    out[i] = accumulator;
                }
            } else if (width <= 57 && blockAt + blockBytes + Long.BYTES <= end) {
                final int shift = 64 - width;
                for (int bit = 0; i < to; i++, bit += width) {
                    final long word = segment.get(ChunkLayout.I64, blockAt + (bit >>> 3));
                    accumulator += minDelta + ((word << (bit & 7)) >>> shift);
                    out[i] = accumulator;
                }
            } else {
                for (long bit = 0; i < to; i++, bit += width) {
                    accumulator += minDelta + readBits(segment, blockAt, end, bit, width);
                    out[i] = accumulator;
                }
            }
            blockAt += blockBytes;
        }
        position = blockAt;
    }

    private static long readBits(final MemorySegment segment, final long start, final long end, final long bit,
                                 final int width) {
        if (width <= 57) {
            return (BitReader.loadWord(segment, start + (bit >>> 3), end) << (bit & 7)) >>> (64 - width);
        }
        final long high = readBits(segment, start, end, bit, width - 32);
        return high << 32 | readBits(segment, start, end, bit + width - 32, 32);
    }

    private long readVarint(final MemorySegment segment, final long chunkStart, final long end) {
        long bits = 0;
        final long start = position;
        for (int shift = 0; shift < 64; shift += 7) {
            if (position >= end) {
                throw new CorruptChunkException(position - chunkStart, "truncated: varint runs past the chunk end");
            }
            final byte b = segment.get(ValueLayout.JAVA_BYTE, position++);
            bits |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return Varint.unzigzag(bits);
            }
        }
        throw new CorruptChunkException(start - chunkStart, "varint longer than " + Varint.MAX_BYTES + " bytes");
    }
}
