package io.tidemark.memory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Writes a bit stream, most significant bit first, into a region of a {@link MemorySegment}.
 *
 * <p>Bits gather in a 64-bit accumulator that is stored as one big-endian word when full, so the
 * target need not be zeroed and each write costs a few register operations. {@link #finish()} stores
 * the last partial word. The region is never written past its limit: a write that does not fit sets
 * {@link #hasOverflowed()} and is dropped, so an encoder checks capacity once per sample (or once at
 * the end) instead of per bit.
 *
 * <p>Not thread-safe; meant to be reused: {@link #wrap} resets it. Allocates nothing.
 */
public final class BitWriter {
    /** Big-endian unaligned long, the word layout of every Tidemark bit stream. */
    public static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private MemorySegment segment;
    private long start;
    private long limit;
    private long position;
    private long accumulator;
    private int accumulatedBits;
    private boolean overflowed;

    /** Starts an empty stream at {@code offset}; bytes up to {@code limit} (exclusive) may be written. */
    public BitWriter wrap(final MemorySegment segment, final long offset, final long limit) {
        if (offset < 0 || limit < offset || limit > segment.byteSize()) {
            throw new IllegalArgumentException("region out of segment: offset=" + offset + " limit=" + limit
                + " segmentBytes=" + segment.byteSize());
        }
        this.segment = segment;
        this.start = offset;
        this.limit = limit;
        this.position = offset;
        this.accumulator = 0;
        this.accumulatedBits = 0;
        this.overflowed = false;
        return this;
    }

    /**
     * Resumes a stream of {@code bitLength} bits that starts at {@code offset}, so that the next write
     * follows its last bit; the bits already there are kept.
     */
    public BitWriter wrapForAppend(final MemorySegment segment, final long offset, final long limit, final long bitLength) {
        wrap(segment, offset, limit);
        if (bitLength < 0 || offset + ((bitLength + 7) >>> 3) > limit) {
            throw new IllegalArgumentException("bitLength out of region: bitLength=" + bitLength + " offset=" + offset
                + " limit=" + limit);
        }
        position = offset + ((bitLength >>> 6) << 3);
        accumulatedBits = (int) (bitLength & 63);
        long word = 0;
        if (accumulatedBits != 0 && position + Long.BYTES <= limit) {
            word = segment.get(WORD, position); // one load; the bits past the stream are masked off
        } else {
            final int partialBytes = (accumulatedBits + 7) >>> 3;
            for (int i = 0; i < partialBytes; i++) {
                word |= (segment.get(ValueLayout.JAVA_BYTE, position + i) & 0xFFL) << (56 - 8 * i);
            }
        }
        accumulator = accumulatedBits == 0 ? 0 : word & (-1L << (64 - accumulatedBits));
        return this;
    }

    /** Writes the low {@code count} bits of {@code value}, {@code 0 <= count <= 64}. */
    public void writeBits(final long value, final int count) {
        if (count == 0) {
            return;
        }
        final long bits = count == 64 ? value : value & ((1L << count) - 1);
        final int free = 64 - accumulatedBits;
        if (count < free) {
            accumulator |= bits << (free - count);
            accumulatedBits += count;
        } else {
            final int spill = count - free;
            storeWord(accumulator | (bits >>> spill));
            accumulator = spill == 0 ? 0 : bits << (64 - spill);
            accumulatedBits = spill;
        }
    }

    /** Writes one bit: 1 if {@code bit} is true. */
    public void writeBit(final boolean bit) {
        writeBits(bit ? 1 : 0, 1);
    }

    private void storeWord(final long word) {
        if (position + Long.BYTES <= limit) {
            segment.set(WORD, position, word);
            position += Long.BYTES;
        } else {
            overflowed = true;
            position = limit; // keeps bitLength() an upper bound; nothing more is stored
        }
    }

    /**
     * Stores the last partial word (only its bytes that hold bits) and returns the stream length in
     * bits. The writer can keep writing afterwards; call again to store the new tail.
     */
    public long finish() {
        final int bytes = (accumulatedBits + 7) >>> 3;
        if (position + bytes > limit) {
            overflowed = true;
        } else if (position + Long.BYTES <= limit) {
            segment.set(WORD, position, accumulator);
        } else {
            for (int i = 0; i < bytes; i++) {
                segment.set(ValueLayout.JAVA_BYTE, position + i, (byte) (accumulator >>> (56 - 8 * i)));
            }
        }
        return bitLength();
    }

    /** Bits written since {@link #wrap}. */
    public long bitLength() {
        return (position - start) * 8 + accumulatedBits;
    }

    /** Bits that can still be written before the limit. */
    public long bitsRemaining() {
        return (limit - position) * 8 - accumulatedBits;
    }

    /** True if some write did not fit in the region and was dropped. */
    public boolean hasOverflowed() {
        return overflowed;
    }
}
