package io.tidemark.codecs.chunk;

import io.tidemark.memory.BitWriter;

/**
 * Gorilla XOR encoding of float64 values, as in the Gorilla paper and Prometheus' XOR chunks:
 * <pre>
 *   '0'                                   value equals the previous one
 *   '10' + meaningful bits                XOR fits the previous window of leading/trailing zeros
 *   '11' + leading:5 + length:6 + bits    new window; leading capped at 31; length 64 is stored as 0
 * </pre>
 * Works on raw bits, so every NaN payload, -0.0 and subnormal survives exactly.
 */
final class XorValueWriter {
    /** Most bits one value takes after the first. */
    static final int MAX_BITS = 2 + 5 + 6 + 64;

    private long previousBits;
    private int leading;
    private int trailing;

    /** Writes the first value raw. */
    void writeFirst(final BitWriter out, final double value) {
        previousBits = Double.doubleToRawLongBits(value);
        leading = -1; // no window yet
        trailing = 0;
        out.writeBits(previousBits, 64);
    }

    /** Writes a value after the first. */
    void write(final BitWriter out, final double value) {
        final long bits = Double.doubleToRawLongBits(value);
        final long xor = bits ^ previousBits;
        previousBits = bits;
        if (xor == 0) {
            out.writeBits(0, 1);
            return;
        }
        int newLeading = Long.numberOfLeadingZeros(xor);
        final int newTrailing = Long.numberOfTrailingZeros(xor);
        if (newLeading > 31) {
            newLeading = 31;
        }
        if (leading >= 0 && newLeading >= leading && newTrailing >= trailing) {
            final int significant = 64 - leading - trailing;
            out.writeBits(0b10, 2);
            out.writeBits(xor >>> trailing, significant);
            return;
        }
        leading = newLeading;
        trailing = newTrailing;
        final int significant = 64 - newLeading - newTrailing;
        // control '11', 5 bits leading, 6 bits length (64 wraps to 0): 13 bits in one write
        out.writeBits(0b11L << 11 | (long) newLeading << 6 | (significant & 63), 13);
        out.writeBits(xor >>> newTrailing, significant);
    }
}
