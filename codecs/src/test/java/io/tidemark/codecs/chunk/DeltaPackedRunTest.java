package io.tidemark.codecs.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.memory.Allocation;
import io.tidemark.memory.MemoryTag;
import io.tidemark.memory.NativeAllocator;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The three forms of a delta-packed run (stride 1, stride 8, grid), written and read back. */
class DeltaPackedRunTest {
    private static final long SEED = Long.getLong("tidemark.test.seed", System.nanoTime());
    private static final int N = 240;

    private final NativeAllocator allocator = NativeAllocator.withLimit(1 << 20);
    private final Allocation buffer = allocator.allocate(MemoryTag.TEST, 64 * 1024);
    private final DeltaPackedWriter writer = new DeltaPackedWriter();
    private final DeltaPackedReader reader = new DeltaPackedReader(MiniblockUnpackers.create());
    private final DeltaPackedReader scalarReader = new DeltaPackedReader(MiniblockUnpackers.SCALAR);

    @AfterEach
    void close() {
        buffer.close();
        allocator.assertNoLeaks();
    }

    /** Writes {@code x} as a run, checks its planned size, reads it back with both unpackers; returns its bytes. */
    private byte[] roundTrip(final long[] x, final int n) {
        final long planned = writer.plan(x, n);
        final MemorySegment out = buffer.segment();
        final long end = writer.write(out, 0);
        assertThat(end).isEqualTo(planned);
        final byte[] bytes = new byte[(int) end + ChunkBytes.PADDING];
        MemorySegment.copy(out, ValueLayout.JAVA_BYTE, 0, bytes, 0, (int) end);
        for (final DeltaPackedReader r : new DeltaPackedReader[] {reader, scalarReader}) {
            final long[] back = new long[n];
            r.read(bytes, 0, (int) end, back, n);
            assertThat(back).isEqualTo(java.util.Arrays.copyOf(x, n));
            assertThat(r.position()).isEqualTo((int) end);
        }
        return java.util.Arrays.copyOf(bytes, (int) end);
    }

    private static int strideOf(final byte[] run) {
        return run[Long.BYTES];
    }

    @Test
    void shouldWriteJitteredTimestampsAndALevelGaugeInTheGridForm() {
        System.out.println("DeltaPackedRunTest seed=" + SEED);
        final SplittableRandom random = new SplittableRandom(SEED);
        final long[] timestamps = new long[N];
        final long[] gauge = new long[N];
        for (int i = 0; i < N; i++) {
            timestamps[i] = 1_700_000_000_000L + i * 15_000L + random.nextInt(-100, 101);
            gauge[i] = 2_400_000 + random.nextInt(0, 200_000); // a level with noise, not a walk
        }
        assertThat(strideOf(roundTrip(timestamps, N))).isEqualTo(ChunkLayout.GRID_STRIDE);
        assertThat(strideOf(roundTrip(gauge, N))).isEqualTo(ChunkLayout.GRID_STRIDE);
    }

    @Test
    void shouldKeepStrideOneForACounterThatWalks() {
        final SplittableRandom random = new SplittableRandom(SEED ^ 1);
        final long[] counter = new long[N];
        for (int i = 1; i < N; i++) {
            counter[i] = counter[i - 1] + (random.nextInt(0, 8) == 0 ? random.nextInt(0, 5_000) : random.nextInt(0, 16));
        }
        assertThat(strideOf(roundTrip(counter, N))).isEqualTo(1);
    }

    @Test
    void shouldRoundTripEveryShapeAndLengthWhicheverFormIsChosen() {
        final SplittableRandom random = new SplittableRandom(SEED ^ 2);
        final int[] seen = new int[ChunkLayout.WIDE_STRIDE + 1];
        for (int round = 0; round < 400; round++) {
            final int n = random.nextInt(1, 300);
            final long[] x = new long[n];
            final int shape = round % 5;
            final long base = random.nextLong();
            for (int i = 0; i < n; i++) {
                x[i] = switch (shape) {
                    case 0 -> base + i * 15_000L + random.nextInt(-50, 51);        // jittered steps
                    case 1 -> base + random.nextInt(0, 1 << random.nextInt(1, 20)); // a level with noise
                    case 2 -> i == 0 ? base : x[i - 1] + random.nextInt(0, 100);     // a walk
                    case 3 -> random.nextLong();                                    // noise over 64 bits
                    default -> base + i * (Long.MAX_VALUE / 7) + random.nextInt(0, 3); // steps that overflow the line
                };
            }
            final byte[] run = roundTrip(x, n);
            if (n > 1) {
                seen[strideOf(run)]++;
            }
        }
        assertThat(seen[ChunkLayout.GRID_STRIDE]).isPositive();
        assertThat(seen[1]).isPositive();
        assertThat(seen[ChunkLayout.WIDE_STRIDE]).isPositive();
    }

    @Test
    void shouldPutGridResidualsBackOnTheLineModuloTwoToTheSixtyFour() {
        // written by hand from docs/format/chunks.md: first, stride 0, step, one segment of 64-bit residuals
        final long first = Long.MAX_VALUE - 3;
        final long step = Long.MIN_VALUE + 12_345; // i * step wraps
        final long[] residuals = {0, 7, -1, Long.MIN_VALUE, 42};
        final int n = residuals.length + 1;
        final MemorySegment out = buffer.segment();
        out.set(ChunkLayout.I64, 0, first);
        out.set(ValueLayout.JAVA_BYTE, 8, (byte) ChunkLayout.GRID_STRIDE);
        long position = Varint.writeSigned(out, 9, step);
        position = Varint.writeSigned(out, position, 0); // minDelta
        out.set(ValueLayout.JAVA_BYTE, position++, (byte) 64);
        for (final long r : residuals) {
            out.set(ChunkLayout.I64, position, r);
            position += 8;
        }
        final byte[] bytes = new byte[(int) position + ChunkBytes.PADDING];
        MemorySegment.copy(out, ValueLayout.JAVA_BYTE, 0, bytes, 0, (int) position);
        final long[] back = new long[n];
        reader.read(bytes, 0, (int) position, back, n);
        assertThat(back[0]).isEqualTo(first);
        for (int i = 1; i < n; i++) {
            assertThat(back[i]).as("i=%d", i).isEqualTo(first + ((i * step) >> 16) + residuals[i - 1]);
        }
        final long[] partial = new long[n];
        assertThatThrownBy(() -> reader.read(bytes, 0, 10, partial, n)).isInstanceOf(CorruptChunkException.class)
            .hasMessageContaining("varint");
    }
}
