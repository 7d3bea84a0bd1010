package io.tidemark.codecs.chunk;

/**
 * Decodes the bit streams written by {@link GorillaEncoder} (timestamps and values interleaved) and
 * by {@link XorValueWriter} alone (values only, in {@link ChunkEncoding#PACKED_XOR} chunks), from a
 * padded heap copy of the chunk ({@link ChunkBytes}).
 *
 * <p>The next bits of the stream live in a 64-bit register buffer, left-aligned, with at least 56
 * of them valid at the start of each sample. The word that refills it is loaded at the start of
 * the sample, at an address that does not depend on that sample's codes, so the load overlaps the
 * decoding and the serial chain per sample is only shifts, counts and adds on the buffer. Buffer
 * state: {@code bufferBits} valid bits, and {@code nextByte * 8 == streamBit + bufferBits}, where
 * {@code streamBit} is the stream position of the buffer's first bit. A sample longer than the
 * valid bits (a 68-bit timestamp code, a wide XOR payload) takes the general path, which reads by
 * absolute bit position and then reloads the buffer.
 *
 * <p>The timestamp code is told apart by one sign test per code bit, not by counting its leading
 * ones and looking its lengths up: real timestamps repeat their code from sample to sample, so the
 * branches predict well and the code's length becomes a constant on the predicted path. That takes
 * the count and the lookup out of the serial chain (5.6 to 4.7 ns a sample on the {@code node}
 * dataset, docs/BENCHMARKS.md).
 *
 * <p>A damaged stream is caught by one compare per sample (the position must not pass the stream's
 * end, which keeps every load inside the padding) and by the XOR window checks; it surfaces as
 * {@link CorruptChunkException}.
 */
final class GorillaDecoder {
    /** Valid bits the buffer holds at least at the start of a sample. */
    private static final int BUFFER_MIN_BITS = 56;

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
        final boolean withTimestamps = timestamps != null;
        long position = (long) streamStart * 8;
        long timestamp = 0;
        if (withTimestamps) {
            timestamp = ChunkBytes.bits(bytes, position, 64);
            position += 64;
            timestamps[0] = timestamp;
        }
        long valueBits = ChunkBytes.bits(bytes, position, 64);
        position += 64;
        values[0] = Double.longBitsToDouble(valueBits);
        long delta = 0;
        int leading = -1;
        int trailing = 0;
        // the buffer as after a reload: 64 - (position & 7) valid bits, nextByte just past them
        long buffer = ChunkBytes.word(bytes, (int) (position >>> 3)) << (position & 7);
        int bufferBits = 64 - (int) (position & 7);
        int nextByte = (int) (position >>> 3) + Long.BYTES;
        for (int i = 1; i < count; i++) {
            if ((long) nextByte * 8 - bufferBits > bitEnd) {
                throw truncated(streamEnd, i);
            }
            long refill = ChunkBytes.word(bytes, nextByte); // independent of this sample's codes
            int used = 0;
            if (withTimestamps) {
                final long dod;
                if (buffer >= 0) {
                    used = 1;
                    dod = 0;
                } else if ((buffer << 1) >= 0) {
                    used = 9;
                    dod = (buffer << 2) >> (64 - 7);
                } else if ((buffer << 2) >= 0) {
                    used = 15;
                    dod = (buffer << 3) >> (64 - 12);
                } else if ((buffer << 3) >= 0) {
                    used = 24;
                    dod = (buffer << 4) >> (64 - 20);
                } else {
                    // the 68-bit form: read by position, then reload the buffer after it
                    position = (long) nextByte * 8 - bufferBits;
                    dod = ChunkBytes.bits(bytes, position + 4, 64);
                    position += 4 + 64;
                    buffer = ChunkBytes.word(bytes, (int) (position >>> 3)) << (position & 7);
                    bufferBits = 64 - (int) (position & 7);
                    nextByte = (int) (position >>> 3) + Long.BYTES;
                    refill = ChunkBytes.word(bytes, nextByte);
                }
                delta += dod;
                timestamp += delta;
                timestamps[i] = timestamp;
            }
            final long code = buffer << used;
            long xor = 0;
            int significant = 0;
            if (code < 0) {
                if ((code << 1) < 0) {
                    final int newLeading = (int) ((code << 2) >>> (64 - 5));
                    final int length = (int) ((code << 7) >>> (64 - 6));
                    significant = length == 0 ? 64 : length;
                    if (newLeading + significant > 64) {
                        throw new CorruptChunkException(((long) nextByte * 8 - bufferBits + used) >>> 3,
                            "XOR window leading=" + newLeading + " + length=" + significant + " exceeds 64 bits at sample " + i);
                    }
                    leading = newLeading;
                    trailing = 64 - newLeading - significant;
                    xor = (code << 13) >>> (64 - significant);
                    used += 13 + significant;
                } else {
                    if (leading < 0) {
                        throw new CorruptChunkException(((long) nextByte * 8 - bufferBits + used) >>> 3,
                            "XOR value reuses a window before one was set, at sample " + i);
                    }
                    significant = 64 - leading - trailing;
                    xor = (code << 2) >>> (64 - significant);
                    used += 2 + significant;
                }
            } else {
                used += 1;
            }
            if (used < bufferBits) { // not <=: a shift by 64 would be a shift by 0
                bufferBits -= used;
                buffer = (buffer << used) | (refill >>> bufferBits);
                nextByte += (63 - bufferBits) >>> 3;
                bufferBits |= BUFFER_MIN_BITS;
            } else {
                // the payload runs past the buffer (the codes before it never do): read it by position
                position = (long) nextByte * 8 - bufferBits + used - significant;
                xor = ChunkBytes.bits(bytes, position, significant);
                position += significant;
                buffer = ChunkBytes.word(bytes, (int) (position >>> 3)) << (position & 7);
                bufferBits = 64 - (int) (position & 7);
                nextByte = (int) (position >>> 3) + Long.BYTES;
            }
            valueBits ^= xor << trailing;
            values[i] = Double.longBitsToDouble(valueBits);
        }
        if ((long) nextByte * 8 - bufferBits > bitEnd) {
            throw truncated(streamEnd, count);
        }
    }

    private static CorruptChunkException truncated(final int streamEnd, final int sample) {
        return new CorruptChunkException(streamEnd, "truncated: the stream ends before sample " + sample + " is complete");
    }
}
