package io.tidemark.codecs.chunk;

/** {@link MiniblockUnpacker} in plain Java: one word load, two shifts and an add per value. */
final class ScalarMiniblockUnpacker implements MiniblockUnpacker {
    @Override
    public void unpack(final byte[] bytes, final int blockAt, final int width, final long minDelta, final long[] out,
                       final int at, final int count) {
        if (width <= 57) {
            final int shift = 64 - width;
            for (int j = 0, bit = 0; j < count; j++, bit += width) {
                final long word = ChunkBytes.word(bytes, blockAt + (bit >>> 3));
                out[at + j] = minDelta + ((word << (bit & 7)) >>> shift);
            }
        } else {
            final long blockBit = (long) blockAt * 8;
            for (int j = 0; j < count; j++) {
                out[at + j] = minDelta + ChunkBytes.bits(bytes, blockBit + (long) j * width, width);
            }
        }
    }

    @Override
    public void undoWideStride(final long[] out, final int n) {
        for (int i = ChunkLayout.WIDE_STRIDE; i < n; i++) {
            out[i] += out[i - ChunkLayout.WIDE_STRIDE];
        }
    }

    @Override
    public void addGrid(final long[] out, final int n, final long first, final long step) {
        addGrid(out, 1, n, first, step);
    }

    /** {@link #addGrid(long[], int, long, long)} for i in [from, n). */
    static void addGrid(final long[] out, final int from, final int n, final long first, final long step) {
        long line = from * step;
        for (int i = from; i < n; i++, line += step) {
            out[i] += first + (line >> ChunkLayout.GRID_STEP_FRACTION_BITS);
        }
    }
}
