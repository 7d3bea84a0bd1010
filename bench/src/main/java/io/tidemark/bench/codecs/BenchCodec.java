package io.tidemark.bench.codecs;

import io.tidemark.codecs.chunk.ChunkEncoder;
import io.tidemark.codecs.chunk.ChunkEncoding;
import java.lang.foreign.MemorySegment;
import java.util.Locale;

/** The chunk codecs that benchmarks compare, and how each encodes a chunk. */
public enum BenchCodec {
    /** Every chunk as {@link ChunkEncoding#GORILLA}. */
    GORILLA,
    /** {@link ChunkEncoding#PACKED_DECIMAL} where every value scales exactly, else {@link ChunkEncoding#PACKED_XOR}. */
    PACKED,
    /** The encoder's own choice of the smallest encoding. */
    BEST;

    /** The codec named {@code name} (case-insensitive). */
    public static BenchCodec named(final String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** Encodes one chunk; returns its byte length, or throws if it did not encode. */
    public int encode(final ChunkEncoder encoder, final long[] timestamps, final double[] values, final MemorySegment out,
                      final long offset) {
        final int n = timestamps.length;
        final long limit = out.byteSize();
        final int bytes = switch (this) {
            case GORILLA -> encoder.encodeAs(ChunkEncoding.GORILLA, timestamps, values, n, out, offset, limit);
            case PACKED -> {
                final int decimal = encoder.encodeAs(ChunkEncoding.PACKED_DECIMAL, timestamps, values, n, out, offset, limit);
                yield decimal != ChunkEncoder.NOT_APPLICABLE ? decimal
                    : encoder.encodeAs(ChunkEncoding.PACKED_XOR, timestamps, values, n, out, offset, limit);
            }
            case BEST -> encoder.encode(timestamps, values, n, out, offset, limit);
        };
        if (bytes < 0) {
            throw new IllegalStateException("chunk did not encode with " + this + ": result=" + bytes);
        }
        return bytes;
    }
}
