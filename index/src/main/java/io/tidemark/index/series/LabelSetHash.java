package io.tidemark.index.series;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The 32-bit hash of a canonical label set ({@link LabelSetLayout}) that places it in the registry's
 * hash slots. In memory only: never persisted, so it may change between versions.
 *
 * <p>Label sets are about 100 bytes, so the hash takes 32 bytes per step in four independent lanes
 * (multiply and rotate each), which the CPU runs in parallel: the dependency chain is a quarter of a
 * one-lane hash's. The last partial word is read as the 8 bytes ending at the end of the set,
 * overlapping bytes already hashed, instead of byte by byte. Not cryptographic: a tenant who crafts
 * colliding label sets only slows its own lookups.
 */
final class LabelSetHash {
    private static final long MULTIPLIER = 0x9E3779B97F4A7C15L;
    private static final long LANE_1 = 0xC2B2AE3D27D4EB4FL;
    private static final long LANE_2 = 0x165667B19E3779F9L;
    private static final long LANE_3 = 0x27D4EB2F165667C5L;
    private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final int LANES_BYTES = 4 * Long.BYTES;

    private LabelSetHash() {
    }

    /** The hash of bytes {@code [offset, offset + length)} of {@code bytes}. */
    static int hash(final MemorySegment bytes, final long offset, final int length) {
        long h0 = length * MULTIPLIER;
        long h1 = LANE_1;
        long h2 = LANE_2;
        long h3 = LANE_3;
        int i = 0;
        for (; i + LANES_BYTES <= length; i += LANES_BYTES) {
            h0 = Long.rotateLeft((h0 ^ bytes.get(WORD, offset + i)) * MULTIPLIER, 29);
            h1 = Long.rotateLeft((h1 ^ bytes.get(WORD, offset + i + 8)) * MULTIPLIER, 29);
            h2 = Long.rotateLeft((h2 ^ bytes.get(WORD, offset + i + 16)) * MULTIPLIER, 29);
            h3 = Long.rotateLeft((h3 ^ bytes.get(WORD, offset + i + 24)) * MULTIPLIER, 29);
        }
        for (; i + Long.BYTES <= length; i += Long.BYTES) {
            h1 = Long.rotateLeft((h1 ^ bytes.get(WORD, offset + i)) * MULTIPLIER, 29);
        }
        long tail = 0;
        if (i < length) {
            if (length >= Long.BYTES) {
                // the 8 bytes that end the set, shifted so that only the bytes not yet hashed remain
                tail = bytes.get(WORD, offset + length - Long.BYTES) >>> (Long.BYTES - (length - i)) * 8;
            } else {
                for (int shift = 0; i < length; i++, shift += 8) {
                    tail |= (bytes.get(ValueLayout.JAVA_BYTE, offset + i) & 0xFFL) << shift;
                }
            }
        }
        long h = h0 ^ Long.rotateLeft(h1, 16) ^ Long.rotateLeft(h2, 32) ^ Long.rotateLeft(h3, 48);
        h = (h ^ tail) * MULTIPLIER;
        h ^= h >>> 32;
        h *= MULTIPLIER;
        return (int) (h ^ (h >>> 29));
    }
}
