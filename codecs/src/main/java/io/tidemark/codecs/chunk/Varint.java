package io.tidemark.codecs.chunk;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Zigzag LEB128 varints: 7 bits per byte, low groups first, high bit set on all but the last byte. */
final class Varint {
    /** Most bytes a 64-bit varint takes. */
    static final int MAX_BYTES = 10;

    private Varint() {
    }

    static long zigzag(final long value) {
        return (value << 1) ^ (value >> 63);
    }

    static long unzigzag(final long encoded) {
        return (encoded >>> 1) ^ -(encoded & 1);
    }

    /** Bytes {@link #writeSigned} will take for {@code value}. */
    static int signedLength(final long value) {
        final long bits = zigzag(value);
        return bits == 0 ? 1 : (64 - Long.numberOfLeadingZeros(bits) + 6) / 7;
    }

    /** Writes {@code value} zigzag-encoded at {@code offset}; returns the offset after it. */
    static long writeSigned(final MemorySegment segment, final long offset, final long value) {
        long bits = zigzag(value);
        long position = offset;
        while ((bits & ~0x7FL) != 0) {
            segment.set(ValueLayout.JAVA_BYTE, position++, (byte) (bits | 0x80));
            bits >>>= 7;
        }
        segment.set(ValueLayout.JAVA_BYTE, position++, (byte) bits);
        return position;
    }
}
