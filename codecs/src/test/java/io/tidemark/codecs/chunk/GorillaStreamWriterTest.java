package io.tidemark.codecs.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.memory.NativeAllocator;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The one-pass stream writer (taken when the region has room to spare) writes the same bytes as the
 * per-sample writers (taken when the region is tight), and stays inside its slack.
 */
class GorillaStreamWriterTest {
    private static final long SEED = Long.getLong("tidemark.test.seed", System.nanoTime());

    @ParameterizedTest
    @EnumSource(value = ChunkEncoding.class, names = {"GORILLA", "PACKED_XOR"})
    void shouldWriteTheSameBytesAsThePerSampleWriters(final ChunkEncoding encoding) {
        System.out.println("GorillaStreamWriterTest seed=" + SEED + " (replay with -Dtidemark.test.seed=" + SEED + ")");
        final SplittableRandom random = new SplittableRandom(SEED);
        final int maxSamples = 600;
        final long[] timestamps = new long[maxSamples];
        final double[] values = new double[maxSamples];
        final NativeAllocator allocator = NativeAllocator.withLimit(1L << 30);
        try (ChunkEncoder encoder = new ChunkEncoder(allocator, maxSamples); Arena arena = Arena.ofConfined()) {
            final long capacity = ChunkEncoder.maxBytes(maxSamples) + 64;
            final MemorySegment roomy = arena.allocate(capacity);
            final MemorySegment tight = arena.allocate(capacity);
            for (int round = 0; round < 2_000; round++) {
                final int n = random.nextInt(1, maxSamples + 1);
                RandomSeries.fill(random, timestamps, values, n);
                roomy.fill((byte) 0x5A);
                final int length = encoder.encodeAs(encoding, timestamps, values, n, roomy, 0, capacity);
                assertThat(length).as("round %d", round).isPositive();
                for (long i = length + GorillaStreamWriter.SLACK_BYTES; i < capacity; i++) {
                    assertThat(roomy.get(java.lang.foreign.ValueLayout.JAVA_BYTE, i)).as("byte %d past the chunk", i)
                        .isEqualTo((byte) 0x5A);
                }
                // one byte short of the one-pass writer's room; the Gorilla appender wants room for a worst-case sample
                final long tightLimit = encoding == ChunkEncoding.GORILLA
                    ? ChunkLayout.HEADER_BYTES + GorillaStreamWriter.maxStreamBytes(n, true) + GorillaStreamWriter.SLACK_BYTES - 1
                    : length;
                tight.fill((byte) 0);
                assertThat(encoder.encodeAs(encoding, timestamps, values, n, tight, 0, tightLimit)).isEqualTo(length);
                assertThat(MemorySegment.mismatch(roomy, 0, length, tight, 0, length))
                    .as("round %d: first differing byte of %d (n=%d)", round, length, n).isEqualTo(-1);
                if (encoding == ChunkEncoding.PACKED_XOR) {
                    assertThat(encoder.encodeAs(encoding, timestamps, values, n, tight, 0, length - 1))
                        .isEqualTo(ChunkEncoder.NO_ROOM);
                }
            }
        }
        allocator.assertNoLeaks();
    }
}
