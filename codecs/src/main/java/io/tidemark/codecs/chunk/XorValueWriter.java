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

    /** The raw bits of the last value written. */
    long previousBits() {
        return previousBits;
    }

    /** The current window of leading and trailing zeros, packed: {@code leading << 8 | trailing}; -1 before the first window. */
    int window() {
        return leading < 0 ? -1 : leading << 8 | trailing;
    }

    /** Restores the state that {@link #previousBits()} and {@link #window()} returned. */
    void resume(final long lastBits, final int packedWindow) {
        previousBits = lastBits;
        leading = packedWindow < 0 ? -1 : packedWindow >>> 8;
        trailing = packedWindow < 0 ? 0 : packedWindow & 0xFF;
    }

    /** Writes the first value raw. */
    void writeFirst(final BitWriter out, final double value) {
        previousBits = Double.doubleToRawLongBits(value);
        leading = -1; // no window yet
        trailing = 0;
        out.writeBits(previousBits, 64);
    }

    /** Writes a value after the first. */
    void write(final BitWriter out, final double value) {
        write(out, value, 0, 0);
    }

    /**
     * Writes {@code prefixLength} bits of {@code prefix} (the sample's timestamp code, in Gorilla
     * chunks) and then the value, in as few writes as the 64-bit accumulator allows.
     */
    void write(final BitWriter out, final double value, final long prefix, final int prefixLength) {
        final long bits = Double.doubleToRawLongBits(value);
        final long xor = bits ^ previousBits;
        previousBits = bits;
        if (xor == 0) {
            out.writeBits(prefix << 1, prefixLength + 1);
            return;
        }
        final int newLeading = Math.min(Long.numberOfLeadingZeros(xor), 31);
        final int newTrailing = Long.numberOfTrailingZeros(xor);
        final long code;
        final int codeLength;
        final int significant;
        if (leading >= 0 && newLeading >= leading && newTrailing >= trailing) {
            significant = 64 - leading - trailing;
            code = 0b10;
            codeLength = 2;
        } else {
            leading = newLeading;
            trailing = newTrailing;
            significant = 64 - newLeading - newTrailing;
            // '11', 5 bits leading, 6 bits length (64 wraps to 0)
            code = 0b11L << 11 | (long) newLeading << 6 | (significant & 63);
            codeLength = 13;
        }
        final long payload = xor >>> trailing;
        final int headLength = prefixLength + codeLength;
        if (headLength + significant <= 64) {
            out.writeBits((prefix << codeLength | code) << significant | payload, headLength + significant);
        } else {
            out.writeBits(prefix << codeLength | code, headLength);
            out.writeBits(payload, significant);
        }
    }
}
