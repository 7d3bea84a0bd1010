package io.tidemark.codecs.chunk;

/**
 * The inner loops of packed-run decoding, in a scalar and a vectorized form
 * ({@link MiniblockUnpackers#DEFAULT} picks one). Callers have validated everything: widths, sizes,
 * and that {@code bytes} has {@link ChunkBytes#PADDING} readable bytes after the chunk.
 */
interface MiniblockUnpacker {
    /**
     * {@code out[at + j] = minDelta + residual(j)} for j in [0, count), where the residuals are the
     * {@code width}-bit (1..64) values packed MSB first from byte {@code blockAt}.
     */
    void unpack(byte[] bytes, int blockAt, int width, long minDelta, long[] out, int at, int count);

    /** {@code out[i] += out[i - 8]} for i in [8, n), in order. */
    void undoWideStride(long[] out, int n);

    /**
     * {@code out[i] += first + ((i * step) >> 16)} for i in [1, n), products modulo 2^64: puts the
     * residuals of a grid run back on their line.
     */
    void addGrid(long[] out, int n, long first, long step);
}
