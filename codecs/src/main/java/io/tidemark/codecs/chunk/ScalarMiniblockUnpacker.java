package io.tidemark.codecs.chunk;

/** {@link MiniblockUnpacker} in plain Java: one word load, two shifts and an add per value. */
final class ScalarMiniblockUnpacker implements MiniblockUnpacker {
    /**
     * {@code out[at + j] = minDelta + residual(j)} for j in [0, count), where the residuals are the
     * {@code width}-bit (0..64) values packed MSB first from byte {@code blockAt}.
     */
    void unpack(final byte[] bytes, final int blockAt, final int width, final long minDelta, final long[] out,
                       final int at, final int count) {
        if (width == 0) {
            java.util.Arrays.fill(out, at, at + count, minDelta);
        } else if (width <= 57) {
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
    public void segment(final byte[] bytes, final int widthsAt, final int blockAt, final long minDelta, final long[] out,
                        final int at, final int count, final int form, final long first, final long step) {
        int byteAt = blockAt;
        for (int done = 0, block = widthsAt; done < count; done += ChunkLayout.MINIBLOCK_VALUES, block++) {
            final int width = bytes[block];
            final int values = Math.min(ChunkLayout.MINIBLOCK_VALUES, count - done);
            unpack(bytes, byteAt, width, minDelta, out, at + done, values);
            byteAt += (int) ChunkLayout.miniblockBytes(values, width);
        }
        if (form == GRID) {
            long line = at * step;
            for (int i = at; i < at + count; i++, line += step) {
                out[i] += first + (line >> ChunkLayout.GRID_STEP_FRACTION_BITS);
            }
        } else if (form == WIDE) {
            for (int i = at; i < at + count; i++) {
                out[i] += out[i - ChunkLayout.WIDE_STRIDE];
            }
        }
    }

    @Override
    public void unscale(final long[] in, final int n, final double power, final double reciprocal, final double[] out) {
        for (int i = 0; i < n; i++) {
            out[i] = DecimalScaler.unscale(in[i], power, reciprocal);
        }
    }
}
