package io.tidemark.server.remote;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** UTF-8 validity of bytes in a {@link MemorySegment}, without decoding them; ASCII eight bytes at a time. */
final class Utf8 {
    private static final long HIGH_BITS = 0x8080808080808080L;
    private static final ValueLayout.OfLong LITTLE_ENDIAN_LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN);

    private Utf8() {
    }

    /** Whether {@code length} bytes at {@code offset} are well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF). */
    static boolean isValid(final MemorySegment bytes, final long offset, final long length) {
        final long end = offset + length;
        if (length < Long.BYTES && offset <= bytes.byteSize() - Long.BYTES) {
            // A short string with 8 readable bytes from its start: one read, the bytes past it masked off.
            final long mask = (1L << (length << 3)) - 1;
            if ((bytes.get(LITTLE_ENDIAN_LONG, offset) & mask & HIGH_BITS) == 0) {
                return true;
            }
        }
        long at = offset;
        while (at + Long.BYTES <= end && (bytes.get(ValueLayout.JAVA_LONG_UNALIGNED, at) & HIGH_BITS) == 0) {
            at += Long.BYTES;
        }
        if (at < end && at + Long.BYTES > end && end - offset >= Long.BYTES && (bytes.get(ValueLayout.JAVA_LONG_UNALIGNED, end - Long.BYTES) & HIGH_BITS) == 0) {
            // The tail, as the last 8 bytes (overlapping bytes already checked), is ASCII.
            return true;
        }
        while (at < end) {
            final int b = bytes.get(ValueLayout.JAVA_BYTE, at) & 0xFF;
            if (b < 0x80) {
                at++;
                continue;
            }
            final int extra;
            int min;
            int max = 0xBF;
            if (b >= 0xC2 && b <= 0xDF) {
                extra = 1;
                min = 0x80;
            } else if (b >= 0xE0 && b <= 0xEF) {
                extra = 2;
                min = b == 0xE0 ? 0xA0 : 0x80;
                max = b == 0xED ? 0x9F : 0xBF;
            } else if (b >= 0xF0 && b <= 0xF4) {
                extra = 3;
                min = b == 0xF0 ? 0x90 : 0x80;
                max = b == 0xF4 ? 0x8F : 0xBF;
            } else {
                return false;
            }
            if (end - at <= extra) {
                return false;
            }
            for (int i = 1; i <= extra; i++) {
                final int c = bytes.get(ValueLayout.JAVA_BYTE, at + i) & 0xFF;
                if (c < min || c > max) {
                    return false;
                }
                min = 0x80;
                max = 0xBF;
            }
            at += extra + 1;
        }
        return true;
    }
}
