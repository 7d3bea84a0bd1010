package io.tidemark.index.symbols;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A 32-bit hash of a byte string, eight bytes at a time (multiply and rotate, then a final mix), the
 * same for a byte string wherever it lives. Not cryptographic: a tenant who can craft colliding
 * label values only makes its own lookups slower, and the table stays correct.
 */
public final class SymbolHash {
    private static final long MULTIPLIER = 0x9E3779B97F4A7C15L;
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED;

    private SymbolHash() {
    }

    /** The hash of bytes {@code [offset, offset + length)} of {@code bytes}. */
    public static int hash(final MemorySegment bytes, final long offset, final int length) {
        long h = length * MULTIPLIER;
        int i = 0;
        for (; i + Long.BYTES <= length; i += Long.BYTES) {
            h = Long.rotateLeft((h ^ bytes.get(WORD, offset + i)) * MULTIPLIER, 29);
        }
        long tail = 0;
        for (int shift = 0; i < length; i++, shift += 8) {
            tail |= (bytes.get(ValueLayout.JAVA_BYTE, offset + i) & 0xFFL) << shift;
        }
        h = (h ^ tail) * MULTIPLIER;
        h ^= h >>> 32;
        h *= MULTIPLIER;
        return (int) (h ^ (h >>> 29));
    }
}
