package io.tidemark.codecs.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Decoders on different threads share nothing: each decodes every chunk right while the others run. */
class ChunkDecoderThreadsTest {
    private static final long SEED = Long.getLong("tidemark.test.seed", System.nanoTime());

    @Test
    void shouldDecodeRightWithOneDecoderPerThreadAtOnce() throws Exception {
        System.out.println("ChunkDecoderThreadsTest seed=" + SEED);
        final SplittableRandom random = new SplittableRandom(SEED);
        try (ChunkCodecFixture fixture = new ChunkCodecFixture()) {
            final List<MemorySegment> chunks = new ArrayList<>();
            final List<long[]> timestamps = new ArrayList<>();
            final List<double[]> values = new ArrayList<>();
            for (int c = 0; c < 64; c++) {
                // lengths that leave a partial group of eight at the end of each run
                final int n = 200 + random.nextInt(60);
                final long[] t = new long[n];
                final double[] v = new double[n];
                long time = 1_700_000_000_000L + random.nextInt(1000);
                long counter = random.nextInt(1_000_000);
                for (int i = 0; i < n; i++) {
                    time += 15_000 + random.nextInt(-40, 40);
                    counter += random.nextInt(0, 5_000);
                    t[i] = time;
                    v[i] = counter / 100.0;
                }
                final MemorySegment chunk = fixture.encode(ChunkEncoding.PACKED_DECIMAL, t, v, n);
                assertThat(chunk).as("chunk %d encodes as decimals", c).isNotNull();
                chunks.add(chunk);
                timestamps.add(t);
                values.add(v);
            }
            final int threads = 4;
            final ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                final List<Future<Integer>> results = new ArrayList<>();
                for (int thread = 0; thread < threads; thread++) {
                    results.add(pool.submit(() -> {
                        final ChunkDecoder decoder = new ChunkDecoder();
                        final long[] t = new long[ChunkLayout.MAX_SAMPLES];
                        final double[] v = new double[ChunkLayout.MAX_SAMPLES];
                        int checked = 0;
                        for (int pass = 0; pass < 300; pass++) {
                            for (int c = 0; c < chunks.size(); c++) {
                                final MemorySegment chunk = chunks.get(c);
                                final int n = decoder.decode(chunk, 0, chunk.byteSize(), t, v);
                                assertThat(java.util.Arrays.copyOf(t, n)).as("chunk %d timestamps", c).isEqualTo(timestamps.get(c));
                                assertThat(java.util.Arrays.copyOf(v, n)).as("chunk %d values", c).isEqualTo(values.get(c));
                                checked++;
                            }
                        }
                        return checked;
                    }));
                }
                for (final Future<Integer> result : results) {
                    assertThat(result.get()).isEqualTo(300 * chunks.size());
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
