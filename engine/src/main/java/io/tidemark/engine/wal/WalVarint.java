package io.tidemark.engine.wal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Zigzag LEB128 varints of the {@link SamplesEncoding#DELTA_VARINT} samples: low 7-bit groups first. */
final class WalVarint {
    /** Most bytes a 64-bit varint takes. */
    static final int MAX_BYTES = 10;

    private WalVarint() {
    }

    /** Writes {@code value} zigzag-encoded at {@code offset}; returns the offset after it. */
    static long write(final MemorySegment out, final long offset, final long value) {
        long bits = (value << 1) ^ (value >> 63);
        long at = offset;
        while ((bits & ~0x7FL) != 0) {
            out.set(ValueLayout.JAVA_BYTE, at++, (byte) (bits | 0x80));
            bits >>>= 7;
        }
        out.set(ValueLayout.JAVA_BYTE, at++, (byte) bits);
        return at;
    }

    static long unzigzag(final long bits) {
        return (bits >>> 1) ^ -(bits & 1);
    }
}
