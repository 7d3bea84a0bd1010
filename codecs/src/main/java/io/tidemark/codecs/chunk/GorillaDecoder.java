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
            if (timestamps != null) {
                final long word = BitReader.loadWord(segment, streamStart + (position >>> 3), end) << (position & 7);
                final long dod;
                switch (Long.numberOfLeadingZeros(~word)) {
                    case 0 -> {
                        dod = 0;
                        position += 1;
                    }
                    case 1 -> {
                        dod = (word << 2) >> (64 - 7);
                        position += 2 + 7;
                    }
                    case 2 -> {
                        dod = (word << 3) >> (64 - 12);
                        position += 3 + 12;
                    }
                    case 3 -> {
                        dod = (word << 4) >> (64 - 20);
                        position += 4 + 20;
                    }
                    default -> {
                        dod = read(segment, streamStart, end, position + 4, 64);
                        position += 4 + 64;
                    }
                }
                delta += dod;
                timestamp += delta;
                timestamps[i] = timestamp;
            }
            final long word = BitReader.loadWord(segment, streamStart + (position >>> 3), end) << (position & 7);
            if (word < 0) {
                final int significant;
                if ((word << 1) < 0) {
                    leading = (int) ((word << 2) >>> (64 - 5));
                    final int length = (int) ((word << 7) >>> (64 - 6));
                    significant = length == 0 ? 64 : length;
                    if (leading + significant > 64) {
                        throw new CorruptChunkException(streamStart - chunkStart + (position >>> 3),
                            "XOR window leading=" + leading + " + length=" + significant + " exceeds 64 bits at sample " + i);
                    }
                    trailing = 64 - leading - significant;
                    position += 13;
                } else {
                    if (leading < 0) {
                        throw new CorruptChunkException(streamStart - chunkStart + (position >>> 3),
                            "XOR value reuses a window before one was set, at sample " + i);
                    }
                    significant = 64 - leading - trailing;
                    position += 2;
                }
                valueBits ^= read(segment, streamStart, end, position, significant) << trailing;
                position += significant;
            } else {
                position += 1;
            }
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
