package io.tidemark.memory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Reads a bit stream written by {@link BitWriter}, most significant bit first.
 *
 * <p>Each read loads the big-endian word that holds the next bit and shifts, so reads of up to 57
 * bits cost one load. Reads never touch memory outside the segment: past the stream's end they
 * return zero bits and set {@link #hasOverrun()}, so a decoder of untrusted input checks one flag
 * after its loop instead of a bound per bit, and a corrupt stream cannot make it read elsewhere.
 *
 * <p>Not thread-safe; meant to be reused: {@link #wrap} resets it. Allocates nothing.
 */
public final class BitReader {
    private MemorySegment segment;
    private long start;
    private long bitLimit;
    private long bitPosition;
    private long loadableEnd;

    /** Reads the {@code bitLength} bits that start at byte {@code offset} of {@code segment}. */
    public BitReader wrap(final MemorySegment segment, final long offset, final long bitLength) {
        if (offset < 0 || bitLength < 0 || offset + ((bitLength + 7) >>> 3) > segment.byteSize()) {
            throw new IllegalArgumentException("stream out of segment: offset=" + offset + " bitLength=" + bitLength
                + " segmentBytes=" + segment.byteSize());
        }
        this.segment = segment;
        this.start = offset;
        this.bitLimit = bitLength;
        this.bitPosition = 0;
        this.loadableEnd = offset + ((bitLength + 7) >>> 3);
        return this;
    }

    /**
     * The big-endian 64 bits at {@code absoluteByte} of {@code segment}, with zeros in place of bytes
     * at or past {@code loadableEnd}. Shared by decoders that keep their bit position in locals.
     */
    public static long loadWord(final MemorySegment segment, final long absoluteByte, final long loadableEnd) {
        if (absoluteByte + Long.BYTES <= loadableEnd) {
            return segment.get(BitWriter.WORD, absoluteByte);
        }
        long word = 0;
        for (long i = absoluteByte, shift = 56; i < loadableEnd && shift >= 0; i++, shift -= 8) {
            word |= (segment.get(ValueLayout.JAVA_BYTE, i) & 0xFFL) << shift;
        }
        return word;
    }

    /** Reads {@code count} bits, {@code 1 <= count <= 64}, as the low bits of the result. */
    public long readBits(final int count) {
        if (count > 57) {
            final long high = readBits(count - 32);
            return high << 32 | readBits(32);
        }
        final long word = loadWord(segment, start + (bitPosition >>> 3), loadableEnd);
        final long value = (word << (bitPosition & 7)) >>> (64 - count);
        bitPosition += count;
        return value;
    }

    /** Reads one bit. */
    public boolean readBit() {
        return readBits(1) != 0;
    }

    /** Bits read so far; may exceed {@link #bitLength()} after an overrun. */
    public long bitPosition() {
        return bitPosition;
    }

    /** Length of the stream in bits. */
    public long bitLength() {
        return bitLimit;
    }

    /** True if more bits were read than the stream holds: the stream is truncated or corrupt. */
    public boolean hasOverrun() {
        return bitPosition > bitLimit;
    }
}
