package io.tidemark.codecs.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.memory.NativeAllocator;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Encodes with a chosen encoding (null: the encoder's choice) into a segment of exactly the chunk's size. */
final class ChunkCodecFixture implements AutoCloseable {
    final NativeAllocator allocator = NativeAllocator.withLimit(1L << 30);
    final ChunkEncoder encoder = new ChunkEncoder(allocator, ChunkLayout.MAX_SAMPLES);
    final ChunkDecoder decoder = new ChunkDecoder();
    final ChunkDecoder scalarDecoder = new ChunkDecoder(MiniblockUnpackers.SCALAR);
    final Arena arena = Arena.ofShared();
    final MemorySegment buffer = arena.allocate(ChunkEncoder.maxBytes(ChunkLayout.MAX_SAMPLES) + 64);

    /** The encoded chunk copied into its own segment, or null if the encoding does not apply. */
    MemorySegment encode(final ChunkEncoding encoding, final long[] timestamps, final double[] values, final int n) {
        final int bytes = encoding == null
            ? encoder.encode(timestamps, values, n, buffer, 0, buffer.byteSize())
            : encoder.encodeAs(encoding, timestamps, values, n, buffer, 0, buffer.byteSize());
        if (bytes == ChunkEncoder.NOT_APPLICABLE) {
            return null;
        }
        assertThat(bytes).as("encoded bytes").isPositive();
        final MemorySegment exact = arena.allocate(bytes);
        MemorySegment.copy(buffer, 0, exact, 0, bytes);
        return exact;
    }

    /** Encodes, decodes and checks every timestamp and every value bit; returns the chunk size. */
    long assertRoundTrip(final ChunkEncoding encoding, final long[] timestamps, final double[] values, final int n) {
        final MemorySegment chunk = encode(encoding, timestamps, values, n);
        if (chunk == null) {
            return -1;
        }
        if (encoding != null) {
            assertThat(ChunkDecoder.encoding(chunk, 0)).isEqualTo(encoding);
        }
        final long[] decodedTimestamps = new long[n];
        final double[] decodedValues = new double[n];
        final long[] scalarTimestamps = new long[n];
        final double[] scalarValues = new double[n];
        assertThat(scalarDecoder.decode(chunk, 0, chunk.byteSize(), scalarTimestamps, scalarValues)).isEqualTo(n);
        assertThat(decoder.decode(chunk, 0, chunk.byteSize(), decodedTimestamps, decodedValues)).isEqualTo(n);
        for (int i = 0; i < n; i++) {
            assertThat(scalarTimestamps[i]).as("scalar-unpacked timestamp %d of %d (%s)", i, n, encoding).isEqualTo(timestamps[i]);
            assertThat(Double.doubleToRawLongBits(scalarValues[i])).as("scalar-unpacked value bits %d of %d (%s)", i, n, encoding)
                .isEqualTo(Double.doubleToRawLongBits(values[i]));
            assertThat(decodedTimestamps[i]).as("timestamp %d of %d (%s)", i, n, encoding).isEqualTo(timestamps[i]);
            assertThat(Double.doubleToRawLongBits(decodedValues[i]))
                .as("value bits %d of %d (%s): expected %s", i, n, encoding, values[i])
                .isEqualTo(Double.doubleToRawLongBits(values[i]));
        }
        return chunk.byteSize();
    }

    @Override
    public void close() {
        encoder.close();
        arena.close();
        allocator.assertNoLeaks();
    }
}
