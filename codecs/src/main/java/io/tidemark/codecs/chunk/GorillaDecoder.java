package io.tidemark.codecs.chunk;

/**
 * Decodes the bit streams written by {@link GorillaEncoder} (timestamps and values interleaved) and
 * by {@link XorValueWriter} alone (values only, in {@link ChunkEncoding#PACKED_XOR} chunks), from a
 * padded heap copy of the chunk ({@link ChunkBytes}).
 *
 * <p>The bit position lives in a local, and one word load serves a sample's timestamp code and
 * its value code in the common case. A damaged stream is caught by one compare per sample (the
 * position must not pass the stream's end, which keeps every load inside the padding) and by the
 * XOR window checks; it surfaces as {@link CorruptChunkException}.
 */
final class GorillaDecoder {
    /** Payload bits of the timestamp codes '0', '10', '110', '1110', one per byte from the low end. */
    private static final long DOD_PAYLOAD_BITS = 20L << 24 | 12L << 16 | 7L << 8;

    private GorillaDecoder() {
    }

    /**
     * Decodes {@code count} samples from the stream at bytes {@code [streamStart, streamEnd)} of
     * {@code bytes}, a chunk copy with at least {@link ChunkBytes#PADDING} zero bytes after it.
     *
     * @param timestamps where timestamps go, or null for a values-only stream
     */
    static void decode(final byte[] bytes, final int streamStart, final int streamEnd, final int count,
                       final long[] timestamps, final double[] values) {
        final long bitEnd = (long) streamEnd * 8;
        long position = (long) streamStart * 8;
        long timestamp = 0;
        long delta = 0;
        if (timestamps != null) {
            timestamp = ChunkBytes.bits(bytes, position, 64);
            position += 64;
            timestamps[0] = timestamp;
        }
        long valueBits = ChunkBytes.bits(bytes, position, 64);
        position += 64;
        values[0] = Double.longBitsToDouble(valueBits);
        int leading = -1;
        int trailing = 0;
        for (int i = 1; i < count; i++) {
            if (position > bitEnd) {
                throw truncated(streamEnd, i);
            }
            // one load serves the timestamp code and, unless it is the 68-bit form, the value code:
            // after the byte-aligned load at least 57 bits are valid, the timestamp takes at most 24
            long word = ChunkBytes.word(bytes, (int) (position >>> 3)) << (position & 7);
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
                    dod = ChunkBytes.bits(bytes, position + 4, 64);
                    position += 4 + 64;
                    word = ChunkBytes.word(bytes, (int) (position >>> 3)) << (position & 7);
                }
                delta += dod;
                timestamp += delta;
                timestamps[i] = timestamp;
            }
            final long code = word << used;
            if (code < 0) {
                final int significant;
                final int header;
                if ((code << 1) < 0) {
                    leading = (int) ((code << 2) >>> (64 - 5));
                    final int length = (int) ((code << 7) >>> (64 - 6));
                    significant = length == 0 ? 64 : length;
                    if (leading + significant > 64) {
                        throw new CorruptChunkException(position >>> 3,
                            "XOR window leading=" + leading + " + length=" + significant + " exceeds 64 bits at sample " + i);
                    }
                    trailing = 64 - leading - significant;
                    header = 13;
                } else {
                    if (leading < 0) {
                        throw new CorruptChunkException(position >>> 3,
                            "XOR value reuses a window before one was set, at sample " + i);
                    }
                    significant = 64 - leading - trailing;
                    header = 2;
                }
                final long xor = header + significant <= 57 - used
                    ? (code << header) >>> (64 - significant)
                    : ChunkBytes.bits(bytes, position + used + header, significant);
                valueBits ^= xor << trailing;
                used += header + significant;
            } else {
                used += 1;
            }
            position += used;
            values[i] = Double.longBitsToDouble(valueBits);
        }
        if (position > bitEnd) {
            throw truncated(streamEnd, count);
        }
    }

    private static CorruptChunkException truncated(final int streamEnd, final int sample) {
        return new CorruptChunkException(streamEnd, "truncated: the stream ends before sample " + sample + " is complete");
    }
}
