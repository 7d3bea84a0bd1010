package io.tidemark.tiering.block;

import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A block's id: a ULID, 48 bits of milliseconds since the epoch followed by 80 random bits, written
 * as 26 Crockford base-32 characters. Ids sort by creation time as strings and as bytes, so a
 * directory listing is in creation order. Immutable.
 */
public final class BlockId implements Comparable<BlockId> {
    /** Bytes of the binary form. */
    public static final int BYTES = 16;
    /** Characters of the text form. */
    public static final int CHARS = 26;

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final long high;
    private final long low;

    private BlockId(final long high, final long low) {
        this.high = high;
        this.low = low;
    }

    /** A new id for the given creation time (ms since the epoch). */
    public static BlockId generate(final long nowMillis) {
        final long random = RANDOM.nextLong();
        return new BlockId((nowMillis & 0xFFFF_FFFF_FFFFL) << 16 | (RANDOM.nextInt() & 0xFFFF), random);
    }

    /** The id of the given binary form (big-endian high then low 64 bits). */
    public static BlockId of(final long high, final long low) {
        return new BlockId(high, low);
    }

    /** Parses the text form; returns null if {@code text} is not a ULID. */
    public static BlockId parse(final String text) {
        if (text.length() != CHARS) {
            return null;
        }
        long high = 0;
        long low = 0;
        for (int i = 0; i < CHARS; i++) {
            final int digit = Arrays.binarySearch(ALPHABET, text.charAt(i));
            if (digit < 0 || i == 0 && digit > 7) {
                return null;
            }
            high = high << 5 | low >>> 59;
            low = low << 5 | digit;
        }
        return new BlockId(high, low);
    }

    /** The high 64 bits: time and the first random bits. */
    public long high() {
        return high;
    }

    /** The low 64 bits. */
    public long low() {
        return low;
    }

    /** Milliseconds since the epoch when the id was made. */
    public long timeMillis() {
        return high >>> 16;
    }

    @Override
    public String toString() {
        final char[] text = new char[CHARS];
        long h = high;
        long l = low;
        for (int i = CHARS - 1; i >= 0; i--) {
            text[i] = ALPHABET[(int) (l & 31)];
            l = l >>> 5 | h << 59;
            h >>>= 5;
        }
        return new String(text);
    }

    @Override
    public int compareTo(final BlockId other) {
        final int byHigh = Long.compareUnsigned(high, other.high);
        return byHigh != 0 ? byHigh : Long.compareUnsigned(low, other.low);
    }

    @Override
    public boolean equals(final Object other) {
        return other instanceof BlockId id && id.high == high && id.low == low;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(high) * 31 + Long.hashCode(low);
    }
}
