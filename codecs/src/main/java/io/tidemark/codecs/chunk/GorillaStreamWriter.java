package io.tidemark.codecs.chunk;

import io.tidemark.memory.BitWriter;
import java.lang.foreign.MemorySegment;

/**
 * Writes a whole Gorilla bit stream (the body of a {@link ChunkEncoding#GORILLA} chunk, or the value
 * stream of a {@link ChunkEncoding#PACKED_XOR} chunk) in one pass over arrays: the same bits as
 * {@link GorillaEncoder} and {@link XorValueWriter}, for sealing, where the whole chunk is known.
 *
 * <p>The caller guarantees room up front ({@link #maxStreamBytes} plus {@link #SLACK_BYTES}), so the
 * loop has no capacity checks. The bits gather in a 64-bit accumulator held in a local, and after
 * each write the accumulator is stored whole and the position advances by its complete bytes: one
 * unconditional store instead of a branch on a full word. Stores may write up to
 * {@link #SLACK_BYTES} zero bytes past the stream's end.
 *
 * <p>Stateless; allocates nothing.
 */
final class GorillaStreamWriter {
    /** Bytes past the stream's last byte that a store may touch (with zeros). */
    static final int SLACK_BYTES = Long.BYTES;
    /** No window set yet: above any leading-zero count (at most 31), so the first non-zero XOR sets one. */
    private static final int NO_WINDOW = 64;

    private GorillaStreamWriter() {
    }

    /** Bytes the stream of {@code n} samples takes at most; with timestamps when {@code withTimestamps}. */
    static long maxStreamBytes(final int n, final boolean withTimestamps) {
        final long first = withTimestamps ? 128 : 64;
        final long perSample = withTimestamps ? GorillaEncoder.MAX_BITS_PER_SAMPLE : XorValueWriter.MAX_BITS;
        return (first + (long) Math.max(0, n - 1) * perSample + 7) / 8;
    }

    /**
     * Writes the stream of {@code timestamps} (null: values only) and {@code values}, {@code [0, n)},
     * at {@code streamAt}; bytes up to {@code streamAt + maxStreamBytes + SLACK_BYTES} must be in
     * {@code out}. Returns the stream's length in bits.
     */
    static long write(final MemorySegment out, final long streamAt, final long[] timestamps, final double[] values,
                      final int n) {
        final boolean withTimestamps = timestamps != null;
        long position = streamAt;
        long previousTimestamp = 0;
        if (withTimestamps) {
            previousTimestamp = timestamps[0];
            out.set(BitWriter.WORD, position, previousTimestamp);
            position += Long.BYTES;
        }
        long previousBits = Double.doubleToRawLongBits(values[0]);
        out.set(BitWriter.WORD, position, previousBits);
        position += Long.BYTES;
        long previousDelta = 0;
        int leading = NO_WINDOW;
        int trailing = 0;
        // accumulator: the top `pending` bits (0..7 between samples) are written bits not yet past `position`
        long accumulator = 0;
        int pending = 0;
        for (int i = 1; i < n; i++) {
            long head = 0;
            int headBits = 0;
            if (withTimestamps) {
                final long timestamp = timestamps[i];
                final long delta = timestamp - previousTimestamp;
                final long dod = delta - previousDelta;
                previousTimestamp = timestamp;
                previousDelta = delta;
                if (dod == 0) {
                    headBits = 1;
                } else if (GorillaEncoder.fitsSigned(dod, 7)) {
                    head = 0b10L << 7 | (dod & 0x7F);
                    headBits = 9;
                } else if (GorillaEncoder.fitsSigned(dod, 12)) {
                    head = 0b110L << 12 | (dod & 0xFFF);
                    headBits = 15;
                } else if (GorillaEncoder.fitsSigned(dod, 20)) {
                    head = 0b1110L << 20 | (dod & 0xFFFFF);
                    headBits = 24;
                } else {
                    // '1111' and 64 bits, in two writes of 4 + 32 and 32
                    accumulator |= (0b1111L << 32 | dod >>> 32) << (64 - pending - 36);
                    pending += 36;
                    out.set(BitWriter.WORD, position, accumulator);
                    position += pending >>> 3;
                    accumulator <<= pending & ~7;
                    pending &= 7;
                    accumulator |= (dod & 0xFFFFFFFFL) << (64 - pending - 32);
                    pending += 32;
                    out.set(BitWriter.WORD, position, accumulator);
                    position += pending >>> 3;
                    accumulator <<= pending & ~7;
                    pending &= 7;
                }
            }
            final long bits = Double.doubleToRawLongBits(values[i]);
            final long xor = bits ^ previousBits;
            previousBits = bits;
            long payload = 0;
            int significant = 0;
            if (xor == 0) {
                head <<= 1;
                headBits += 1;
            } else {
                final int newLeading = Math.min(Long.numberOfLeadingZeros(xor), 31);
                final int newTrailing = Long.numberOfTrailingZeros(xor);
                if (newLeading >= leading && newTrailing >= trailing) {
                    significant = 64 - leading - trailing;
                    head = head << 2 | 0b10;
                    headBits += 2;
                } else {
                    leading = newLeading;
                    trailing = newTrailing;
                    significant = 64 - newLeading - newTrailing;
                    // '11', 5 bits leading, 6 bits length (64 wraps to 0)
                    head = head << 13 | 0b11L << 11 | (long) newLeading << 6 | (significant & 63);
                    headBits += 13;
                }
                payload = xor >>> trailing;
            }
            // pending <= 7, so one write of up to 56 bits leaves pending <= 63: every shift stays below 64
            if (headBits + significant <= 56) {
                final int length = headBits + significant;
                accumulator |= (head << significant | payload) << (64 - pending - length);
                pending += length;
            } else {
                accumulator |= head << (64 - pending - headBits); // headBits <= 37
                pending += headBits;
                out.set(BitWriter.WORD, position, accumulator);
                position += pending >>> 3;
                accumulator <<= pending & ~7;
                pending &= 7;
                final int high = significant - 32; // significant >= 20 here; the high part may be empty
                if (high > 0) {
                    accumulator |= (payload >>> 32) << (64 - pending - high);
                    pending += high;
                    out.set(BitWriter.WORD, position, accumulator);
                    position += pending >>> 3;
                    accumulator <<= pending & ~7;
                    pending &= 7;
                }
                final int low = Math.min(significant, 32);
                accumulator |= (payload & (-1L >>> (64 - low))) << (64 - pending - low);
                pending += low;
            }
            out.set(BitWriter.WORD, position, accumulator);
            position += pending >>> 3;
            accumulator <<= pending & ~7;
            pending &= 7;
        }
        return (position - streamAt) * 8 + pending;
    }
}
