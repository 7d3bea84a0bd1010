package io.tidemark.codecs.chunk;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Decodes a chunk of any {@link ChunkEncoding} into arrays the caller owns. The input is untrusted:
 * a damaged, truncated or unknown chunk fails with {@link CorruptChunkException}; nothing is read
 * outside {@code [offset, offset + length)}, nothing is allocated, and the work is bounded by the
 * sample count, itself bounded by the chunk length.
 *
 * <p>Not thread-safe: one per reading thread; reusable.
 */
public final class ChunkDecoder {
    private final MiniblockUnpacker unpacker;
    private final DeltaPackedReader runs;
    private long[] scaled = new long[0];
    private byte[] bytes = new byte[4096];

    /** A decoder using the fastest unpacking this JVM offers (see {@link MiniblockUnpackers}). */
    public ChunkDecoder() {
        this(MiniblockUnpackers.create());
    }

    ChunkDecoder(final MiniblockUnpacker unpacker) {
        this.unpacker = unpacker;
        this.runs = new DeltaPackedReader(unpacker);
    }

    /** "vector512" or "scalar": how this JVM unpacks packed runs. */
    public static String unpacking() {
        return MiniblockUnpackers.describe();
    }

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
     * Decodes the first {@code count} samples of a {@link ChunkEncoding#GORILLA} chunk that a writer
     * may be appending to: {@code count} is what the writer published, whatever the header says now,
     * and {@code length} covers at least those samples' bits. Returns {@code count}.
     */
    public int decodeGorillaPrefix(final MemorySegment chunk, final long offset, final long length, final int count,
                                   final long[] timestamps, final double[] values) {
        if (encoding(chunk, offset) != ChunkEncoding.GORILLA) {
            throw new CorruptChunkException(0, "not a Gorilla chunk");
        }
        if (length > ChunkBytes.MAX_CHUNK_BYTES || count > timestamps.length || count > values.length) {
            throw new IllegalArgumentException("chunk or count too large: length=" + length + " count=" + count);
        }
        final int end = (int) length;
        final byte[] bytes = copy(chunk, offset, end);
        GorillaDecoder.decode(bytes, ChunkLayout.HEADER_BYTES, end, count, timestamps, values);
        return count;
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
        if (length > ChunkBytes.MAX_CHUNK_BYTES) {
            throw new CorruptChunkException(0, "chunk length " + length + " above the largest any encoder writes, "
                + ChunkBytes.MAX_CHUNK_BYTES);
        }
        final int end = (int) length;
        final byte[] bytes = copy(chunk, offset, end);
        final int body = ChunkLayout.HEADER_BYTES;
        switch (encoding(chunk, offset)) {
            case GORILLA -> GorillaDecoder.decode(bytes, body, end, count, timestamps, values);
            case PACKED_XOR -> {
                runs.read(bytes, body, end, timestamps, count);
                GorillaDecoder.decode(bytes, runs.position(), end, count, null, values);
            }
            case PACKED_DECIMAL -> decodeDecimal(bytes, body, end, count, timestamps, values);
            case PACKED_SCALED -> decodeScaled(bytes, body, end, count, timestamps, values);
            default -> throw new CorruptChunkException(0, "unhandled encoding");
        }
        return count;
    }

    /** The chunk's bytes at the start of the scratch array, followed by zero padding. */
    private byte[] copy(final MemorySegment chunk, final long offset, final int length) {
        if (bytes.length < length + ChunkBytes.PADDING) {
            bytes = new byte[Math.max(length + ChunkBytes.PADDING, 2 * bytes.length)];
        }
        MemorySegment.copy(chunk, ValueLayout.JAVA_BYTE, offset, bytes, 0, length);
        Arrays.fill(bytes, length, length + ChunkBytes.PADDING, (byte) 0);
        return bytes;
    }

    private void decodeDecimal(final byte[] chunk, final int body, final int end, final int count, final long[] timestamps,
                               final double[] values) {
        runs.read(chunk, body, end, timestamps, count);
        final int exponentAt = runs.position();
        if (exponentAt >= end) {
            throw new CorruptChunkException(exponentAt, "truncated: decimal exponent expected");
        }
        final int exponent = chunk[exponentAt];
        if (exponent < 0 || exponent > ChunkLayout.MAX_DECIMAL_EXPONENT) {
            throw new CorruptChunkException(exponentAt,
                "decimal exponent " + exponent + ", expected 0.." + ChunkLayout.MAX_DECIMAL_EXPONENT);
        }
        final long[] integers = scratch(count);
        if (runs.read(chunk, exponentAt + 1, end, integers, count, exponent != 0)) {
            toQuotients(integers, count, exponent, values);
        } else {
            // a stride-1 run: its sum and the scaling in one pass
            final double power = DecimalScaler.POWERS_OF_TEN[exponent];
            final double reciprocal = DecimalScaler.RECIPROCALS[exponent];
            long integer = 0;
            for (int i = 0; i < count; i++) {
                integer += integers[i];
                values[i] = DecimalScaler.unscale(integer, power, reciprocal);
            }
        }
    }

    private void decodeScaled(final byte[] chunk, final int body, final int end, final int count, final long[] timestamps,
                              final double[] values) {
        runs.read(chunk, body, end, timestamps, count);
        final int formAt = runs.position();
        if (formAt >= end) {
            throw new CorruptChunkException(formAt, "truncated: scaled form byte expected");
        }
        final int form = chunk[formAt] & 0xFF;
        if ((form & ChunkLayout.SCALED_RESERVED) != 0) {
            throw new CorruptChunkException(formAt, "scaled form 0x" + Integer.toHexString(form) + " has reserved bits set");
        }
        long factor = 1;
        int runAt = formAt + 1;
        if ((form & ChunkLayout.SCALED_FACTOR) != 0) {
            factor = runs.readSignedVarint(chunk, runAt, end);
            if (factor < 2) {
                throw new CorruptChunkException(runAt, "scaled factor " + factor + ", expected at least 2");
            }
            runAt = runs.position();
        }
        final long[] integers = readIntegers(chunk, runAt, end, count);
        if (factor != 1) {
            for (int i = 0; i < count; i++) {
                integers[i] *= factor;
            }
        }
        final int exponent = form & ChunkLayout.SCALED_EXPONENT_MASK;
        if ((form & ChunkLayout.SCALED_PRODUCT) != 0) {
            final double reciprocal = DecimalScaler.RECIPROCALS[exponent];
            for (int i = 0; i < count; i++) {
                values[i] = DecimalScaler.product(integers[i], reciprocal);
            }
        } else {
            toQuotients(integers, count, exponent, values);
        }
    }

    private long[] readIntegers(final byte[] chunk, final int offset, final int end, final int count) {
        final long[] integers = scratch(count);
        runs.read(chunk, offset, end, integers, count);
        return integers;
    }

    private long[] scratch(final int count) {
        if (scaled.length < count) {
            scaled = new long[Math.max(count, ChunkLayout.MAX_SAMPLES / 64)];
        }
        return scaled;
    }

    private void toQuotients(final long[] integers, final int count, final int exponent, final double[] values) {
        if (exponent == 0) {
            for (int i = 0; i < count; i++) {
                values[i] = integers[i];
            }
        } else {
            unpacker.unscale(integers, count, DecimalScaler.POWERS_OF_TEN[exponent], DecimalScaler.RECIPROCALS[exponent],
                values);
        }
    }
}
