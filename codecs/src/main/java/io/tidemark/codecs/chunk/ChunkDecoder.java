package io.tidemark.codecs.chunk;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Decodes a chunk of any {@link ChunkEncoding} into arrays the caller owns. The input is untrusted:
 * a damaged, truncated or unknown chunk fails with {@link CorruptChunkException}; nothing is read
 * outside {@code [offset, offset + length)}, nothing is allocated, and the work is bounded by the
 * sample count, itself bounded by the chunk length.
 *
 * <p>Not thread-safe: one per reading thread; reusable.
 */
public final class ChunkDecoder {
    private final DeltaPackedReader runs = new DeltaPackedReader();
    private long[] scaled = new long[0];

    /** The sample count of the chunk at {@code offset}, validated against its length. */
    public static int sampleCount(final MemorySegment chunk, final long offset, final long length) {
        if (length < ChunkLayout.HEADER_BYTES || offset < 0 || offset + length > chunk.byteSize()) {
            throw new CorruptChunkException(0, "chunk of length=" + length + " cannot hold a header (or lies outside its segment)");
        }
        final int count = Short.toUnsignedInt(chunk.get(ChunkLayout.U16, offset + ChunkLayout.COUNT_OFFSET));
        // every encoding spends 16 bytes on the first sample; the u16 count bounds the rest of the work
        if (count == 0 || length - ChunkLayout.HEADER_BYTES < 16) {
            throw new CorruptChunkException(ChunkLayout.COUNT_OFFSET,
                "sample count " + count + " impossible for a body of " + (length - ChunkLayout.HEADER_BYTES) + " bytes");
        }
        return count;
    }

    /** The encoding of the chunk at {@code offset}. */
    public static ChunkEncoding encoding(final MemorySegment chunk, final long offset) {
        return ChunkEncoding.fromId(chunk.get(ValueLayout.JAVA_BYTE, offset + ChunkLayout.ENCODING_OFFSET));
    }

    /**
     * Decodes the chunk of {@code length} bytes at {@code offset} into {@code timestamps} and
     * {@code values}, which must hold at least {@link #sampleCount} samples. Returns the count.
     */
    public int decode(final MemorySegment chunk, final long offset, final long length, final long[] timestamps,
                      final double[] values) {
        final int count = sampleCount(chunk, offset, length);
        if (timestamps.length < count || values.length < count) {
            throw new IllegalArgumentException("output arrays too small: count=" + count + " timestamps.length="
                + timestamps.length + " values.length=" + values.length);
        }
        final long end = offset + length;
        final long body = offset + ChunkLayout.HEADER_BYTES;
        switch (encoding(chunk, offset)) {
            case GORILLA -> GorillaDecoder.decode(chunk, offset, body, end - body, count, timestamps, values);
            case PACKED_XOR -> {
                runs.read(chunk, offset, body, end, timestamps, count);
                final long valuesAt = runs.position();
                GorillaDecoder.decode(chunk, offset, valuesAt, end - valuesAt, count, null, values);
            }
            case PACKED_DECIMAL -> decodeDecimal(chunk, offset, body, end, count, timestamps, values);
            default -> throw new CorruptChunkException(0, "unhandled encoding");
        }
        return count;
    }

    private void decodeDecimal(final MemorySegment chunk, final long offset, final long body, final long end, final int count,
                               final long[] timestamps, final double[] values) {
        runs.read(chunk, offset, body, end, timestamps, count);
        final long exponentAt = runs.position();
        if (exponentAt >= end) {
            throw new CorruptChunkException(exponentAt - offset, "truncated: decimal exponent expected");
        }
        final int exponent = chunk.get(ValueLayout.JAVA_BYTE, exponentAt);
        if (exponent < 0 || exponent > ChunkLayout.MAX_DECIMAL_EXPONENT) {
            throw new CorruptChunkException(exponentAt - offset,
                "decimal exponent " + exponent + ", expected 0.." + ChunkLayout.MAX_DECIMAL_EXPONENT);
        }
        if (scaled.length < count) {
            scaled = new long[Math.max(count, ChunkLayout.MAX_SAMPLES / 64)];
        }
        final long[] integers = scaled;
        runs.read(chunk, offset, exponentAt + 1, end, integers, count);
        if (exponent == 0) {
            for (int i = 0; i < count; i++) {
                values[i] = integers[i];
            }
        } else {
            final double power = DecimalScaler.POWERS_OF_TEN[exponent];
            final double reciprocal = DecimalScaler.RECIPROCALS[exponent];
            for (int i = 0; i < count; i++) {
                values[i] = DecimalScaler.unscale(integers[i], power, reciprocal);
            }
        }
    }
}
