package io.tidemark.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BitStreamTest {
    private static final long SEED = Long.getLong("tidemark.test.seed", System.nanoTime());

    @Test
    void shouldRoundTripRandomWidthsAndValues() {
        System.out.println("BitStreamTest seed=" + SEED + " (replay with -Dtidemark.test.seed=" + SEED + ")");
        final SplittableRandom random = new SplittableRandom(SEED);
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment segment = arena.allocate(1 << 16);
            for (int round = 0; round < 200; round++) {
                final int n = random.nextInt(1, 2000);
                final int[] widths = new int[n];
                final long[] values = new long[n];
                final BitWriter writer = new BitWriter().wrap(segment, 3, segment.byteSize());
                for (int i = 0; i < n; i++) {
                    widths[i] = random.nextInt(0, 65);
                    values[i] = random.nextLong();
                    writer.writeBits(values[i], widths[i]);
                }
                final long bits = writer.finish();
                assertThat(writer.hasOverflowed()).isFalse();
                final BitReader reader = new BitReader().wrap(segment, 3, bits);
                for (int i = 0; i < n; i++) {
                    if (widths[i] == 0) {
                        continue;
                    }
                    final long expected = widths[i] == 64 ? values[i] : values[i] & ((1L << widths[i]) - 1);
                    assertThat(reader.readBits(widths[i])).as("round=%d i=%d width=%d", round, i, widths[i]).isEqualTo(expected);
                }
                assertThat(reader.hasOverrun()).isFalse();
                assertThat(reader.bitPosition()).isEqualTo(bits);
            }
        }
    }

    @Test
    void shouldReadZerosAndFlagOverrunPastTheEndWithoutLeavingTheSegment() {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment segment = arena.allocate(3);
            final BitWriter writer = new BitWriter().wrap(segment, 0, 3);
            writer.writeBits(0b101, 3);
            assertThat(writer.finish()).isEqualTo(3);
            final BitReader reader = new BitReader().wrap(segment, 0, 3);
            assertThat(reader.readBits(3)).isEqualTo(0b101);
            assertThat(reader.hasOverrun()).isFalse();
            assertThat(reader.readBits(64)).isZero();
            assertThat(reader.hasOverrun()).isTrue();
        }
    }

    @Test
    void shouldFlagOverflowInsteadOfWritingPastTheLimit() {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment segment = arena.allocate(32);
            segment.fill((byte) 0x5A);
            final BitWriter writer = new BitWriter().wrap(segment, 0, 10);
            writer.writeBits(-1L, 64);
            writer.writeBits(-1L, 16);
            writer.finish();
            assertThat(writer.hasOverflowed()).isFalse();
            writer.writeBits(1, 1);
            writer.finish();
            assertThat(writer.hasOverflowed()).isTrue();
            for (int i = 10; i < 32; i++) {
                assertThat(segment.get(java.lang.foreign.ValueLayout.JAVA_BYTE, i)).as("byte %d", i).isEqualTo((byte) 0x5A);
            }
        }
    }

    @Test
    void shouldResumeAppendingAfterExistingBits() {
        final SplittableRandom random = new SplittableRandom(SEED ^ 0x9E3779B97F4A7C15L);
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment segment = arena.allocate(4096);
            for (int round = 0; round < 100; round++) {
                final long a = random.nextLong();
                final int aBits = random.nextInt(1, 200);
                final BitWriter writer = new BitWriter().wrap(segment, 0, segment.byteSize());
                for (int i = 0; i < aBits; i++) {
                    writer.writeBits(a >>> (i & 63), 1);
                }
                final long length = writer.finish();
                final long b = random.nextLong();
                final BitWriter resumed = new BitWriter().wrapForAppend(segment, 0, segment.byteSize(), length);
                resumed.writeBits(b, 64);
                final long total = resumed.finish();
                assertThat(total).isEqualTo(length + 64);
                final BitReader reader = new BitReader().wrap(segment, 0, total);
                for (int i = 0; i < aBits; i++) {
                    assertThat(reader.readBits(1)).isEqualTo((a >>> (i & 63)) & 1);
                }
                assertThat(reader.readBits(64)).isEqualTo(b);
            }
        }
    }
}
