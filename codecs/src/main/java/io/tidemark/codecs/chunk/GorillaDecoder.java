package io.tidemark.codecs.chunk;

import io.tidemark.memory.BitReader;
import java.lang.foreign.MemorySegment;

/**
 * Decodes the bit streams written by {@link GorillaEncoder} (timestamps and values interleaved) and
 * by {@link XorValueWriter} alone (values only, in {@link ChunkEncoding#PACKED_XOR} chunks).
 *
 * <p>The bit position lives in a local and every field is read from one big-endian word load
 * (control and payload together), which is what keeps this under a few nanoseconds per sample.
 * Loads past the stream end read zeros; the position is checked against the stream length once,
 * after the loop, so damage surfaces as {@link CorruptChunkException} and never as a stray read.
 */
final class GorillaDecoder {
    /** Payload bits of the timestamp codes '0', '10', '110', '1110', one per byte from the low end. */
    private static final long DOD_PAYLOAD_BITS = 20L << 24 | 12L << 16 | 7L << 8;

    private GorillaDecoder() {
    }

    /**
     * Decodes {@code count} samples from the stream of {@code streamBytes} bytes at {@code streamStart}.
     *
     * @param timestamps where timestamps go, or null for a values-only stream
     * @param chunkStart offset of the chunk in the segment, for error messages
     */
    static void decode(final MemorySegment segment, final long chunkStart, final long streamStart, final long streamBytes,
                       final int count, final long[] timestamps, final double[] values) {
        final long end = streamStart + streamBytes;
        final long bitLength = streamBytes * 8;
        long position = 0;
        long timestamp = 0;
        long delta = 0;
        if (timestamps != null) {
            timestamp = read(segment, streamStart, end, position, 64);
            position += 64;
            timestamps[0] = timestamp;
        }
        long valueBits = read(segment, streamStart, end, position, 64);
        position += 64;
        values[0] = Double.longBitsToDouble(valueBits);
        int leading = -1;
        int trailing = 0;
        for (int i = 1; i < count; i++) {
            // one load serves the timestamp code and, unless it is the 68-bit form, the value code:
            // after the byte-aligned load at least 57 bits are valid, the timestamp takes at most 24
            long word = BitReader.loadWord(segment, streamStart + (position >>> 3), end) << (position & 7);
            int used = 0;
            if (timestamps != null) {
                final int ones = Long.numberOfLeadingZeros(~word);
                final long dod;
                if (ones < 4) {
                    final int payloadBits = (int) (DOD_PAYLOAD_BITS >>> (ones << 3)) & 0xFF;
                    final long payload = (word << (ones + 1)) >> (64 - payloadBits);
                    dod = ones == 0 ? 0 : payload;
                    used = ones + 1 + payloadBits;
                } else {
                    dod = read(segment, streamStart, end, position + 4, 64);
                    position += 4 + 64;
                    word = BitReader.loadWord(segment, streamStart + (position >>> 3), end) << (position & 7);
                }
                delta += dod;
                timestamp += delta;
                timestamps[i] = timestamp;
            }
            final long code = word << used;
            final int available = 57 - used;
            if (code < 0) {
                final int significant;
                final int header;
                if ((code << 1) < 0) {
                    leading = (int) ((code << 2) >>> (64 - 5));
                    final int length = (int) ((code << 7) >>> (64 - 6));
                    significant = length == 0 ? 64 : length;
                    if (leading + significant > 64) {
                        throw new CorruptChunkException(streamStart - chunkStart + (position >>> 3),
                            "XOR window leading=" + leading + " + length=" + significant + " exceeds 64 bits at sample " + i);
                    }
                    trailing = 64 - leading - significant;
                    header = 13;
                } else {
                    if (leading < 0) {
                        throw new CorruptChunkException(streamStart - chunkStart + (position >>> 3),
                            "XOR value reuses a window before one was set, at sample " + i);
                    }
                    significant = 64 - leading - trailing;
                    header = 2;
                }
                final long xor = header + significant <= available
                    ? (code << header) >>> (64 - significant)
                    : read(segment, streamStart, end, position + used + header, significant);
                valueBits ^= xor << trailing;
                used += header + significant;
            } else {
                used += 1;
            }
            position += used;
            values[i] = Double.longBitsToDouble(valueBits);
        }
        if (position > bitLength) {
            throw new CorruptChunkException(end - chunkStart,
                "truncated: " + count + " samples need " + position + " bits, the chunk has " + bitLength);
        }
    }

    /** Reads {@code bitCount} (1..64) bits at bit {@code position} of the stream. */
    private static long read(final MemorySegment segment, final long streamStart, final long end, final long position,
                             final int bitCount) {
        if (bitCount <= 57) {
            final long word = BitReader.loadWord(segment, streamStart + (position >>> 3), end);
            return (word << (position & 7)) >>> (64 - bitCount);
        }
        final long high = read(segment, streamStart, end, position, bitCount - 32);
        return high << 32 | read(segment, streamStart, end, position + bitCount - 32, 32);
    }
}
