package io.tidemark.codecs.chunk;

/**
 * The inner loops of packed-run decoding, in a scalar and a vectorized form. Callers have validated
 * everything: widths, sizes, and that {@code bytes} has {@link ChunkBytes#PADDING} readable bytes after
 * the chunk. An instance may keep scratch space, so each thread gets its own from
 * {@link MiniblockUnpackers#create()}, which also picks the form.
 */
interface MiniblockUnpacker {
    /** {@link #segment} form: each value is its delta. */
    int PLAIN = 0;
    /** {@link #segment} form: each value is its residual put back on the run's line. */
    int GRID = 1;
    /** {@link #segment} form: each value is its delta plus the value eight places before it. */
    int WIDE = 2;

    /**
     * Decodes one segment of {@code count} values into {@code out[at..at+count)}: its miniblock widths
     * are at {@code widthsAt} (0..64 each, one per {@link ChunkLayout#MINIBLOCK_VALUES} values) and its
     * packed miniblocks follow from {@code blockAt}. With d the delta {@code minDelta + residual}, value
     * i = at + j is d ({@link #PLAIN}), {@code d + first + ((i * step) >> 16)} ({@link #GRID}, products
     * modulo 2^64) or {@code d + out[i - 8]} ({@link #WIDE}, which needs {@code at >= 8}).
     */
    void segment(byte[] bytes, int widthsAt, int blockAt, long minDelta, long[] out, int at, int count, int form,
                 long first, long step);

    /** {@code out[i] = DecimalScaler.unscale(in[i], power, reciprocal)} for i in [0, n). */
    void unscale(long[] in, int n, double power, double reciprocal, double[] out);
}
