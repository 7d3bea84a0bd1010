package io.tidemark.codecs.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * A guard, not a measurement: encoding and decoding a warm chunk must not allocate on the Java heap.
 * JMH with -prof gc is where the figure comes from (docs/BENCHMARKS.md). Until C2 has compiled the
 * Vector API unpacker, each vector operation allocates a box (megabytes per round), and a JIT event
 * (an object rematerialized at a deoptimization) can allocate a few hundred bytes once; an
 * allocation in the code itself allocates in every round. So rounds continue, up to a bound, until
 * one warm round allocates nothing.
 */
class ZeroAllocationTest {

    @Test
    void shouldNotAllocateWhenEncodingAndDecodingWarmChunks() {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (ChunkCodecFixture codec = new ChunkCodecFixture()) {
            final int n = 240;
            final long[] timestamps = new long[n];
            final double[] decimals = new double[n];
            final double[] floats = new double[n];
            final double[] products = new double[n];
            for (int i = 0; i < n; i++) {
                timestamps[i] = 1_700_000_000_000L + i * 15_000L + (i * 7 % 5);
                decimals[i] = i * 1.5;
                floats[i] = Math.sqrt(i);
                products[i] = (164_671_745L + i * 917L) * (1.0 / 1000.0);
            }
            final long[] outTimestamps = new long[n];
            final double[] outValues = new double[n];
            final long id = Thread.currentThread().threadId();
            long leastWarm = Long.MAX_VALUE;
            for (int warm = 0; warm < 30 && leastWarm != 0; warm++) {
                final long before = threads.getThreadAllocatedBytes(id);
                for (int i = 0; i < 2_000; i++) {
                    // PACKED_SCALED with a factor (15), GORILLA or PACKED_XOR, PACKED_SCALED in product form
                    final double[] values = i % 3 == 0 ? decimals : i % 3 == 1 ? floats : products;
                    final int bytes = codec.encoder.encode(timestamps, values, n, codec.buffer, 0, codec.buffer.byteSize());
                    codec.decoder.decode(codec.buffer, 0, bytes, outTimestamps, outValues);
                    codec.encoder.encodeAs(ChunkEncoding.GORILLA, timestamps, values, n, codec.buffer, 0, codec.buffer.byteSize());
                }
                final long allocated = threads.getThreadAllocatedBytes(id) - before;
                System.out.println("ZeroAllocationTest round=" + warm + " allocatedBytes=" + allocated);
                if (warm >= 2) {
                    leastWarm = Math.min(leastWarm, allocated);
                }
            }
            assertThat(leastWarm).as("bytes allocated by the least allocating round of 2000 warm encode+decode calls").isZero();
        }
    }
}
