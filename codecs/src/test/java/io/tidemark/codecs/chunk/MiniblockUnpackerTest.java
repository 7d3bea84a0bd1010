package io.tidemark.codecs.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class MiniblockUnpackerTest {
    private static final long SEED = Long.getLong("tidemark.test.seed", System.nanoTime());

    private static MiniblockUnpacker vector() {
        final MiniblockUnpacker vector = MiniblockUnpackers.DEFAULT;
        Assumptions.assumeTrue(vector != MiniblockUnpackers.SCALAR,
            "no 512-bit Vector API on this JVM/CPU: only the scalar form is in use here");
        return vector;
    }

    @Test
    void shouldPickTheVectorFormExactlyWhenTheModuleAndWideVectorsAreThere() {
        final boolean module = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        final boolean wide = module && jdk.incubator.vector.ByteVector.SPECIES_PREFERRED.vectorBitSize() >= 512;
        System.out.println("MiniblockUnpackers.DEFAULT=" + MiniblockUnpackers.describe() + " module=" + module + " wide=" + wide);
        assertThat(MiniblockUnpackers.describe()).isEqualTo(wide ? "vector512" : "scalar");
    }

    @Test
    void shouldUnpackEveryWidthAndLengthLikeTheScalarForm() {
        final MiniblockUnpacker vector = vector();
        System.out.println("MiniblockUnpackerTest seed=" + SEED);
        final SplittableRandom random = new SplittableRandom(SEED);
        final byte[] bytes = new byte[4 * 64 + ChunkBytes.PADDING + 16];
        final long[] expected = new long[40];
        final long[] actual = new long[40];
        for (int round = 0; round < 20; round++) {
            random.nextBytes(bytes);
            final long minDelta = random.nextLong();
            for (int width = 1; width <= 64; width++) {
                for (int count = 1; count <= ChunkLayout.MINIBLOCK_VALUES; count++) {
                    final int at = random.nextInt(0, 8);
                    final int blockAt = random.nextInt(0, 16);
                    java.util.Arrays.fill(expected, -7);
                    java.util.Arrays.fill(actual, -7);
                    MiniblockUnpackers.SCALAR.unpack(bytes, blockAt, width, minDelta, expected, at, count);
                    vector.unpack(bytes, blockAt, width, minDelta, actual, at, count);
                    assertThat(actual).as("width=%d count=%d at=%d blockAt=%d", width, count, at, blockAt).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void shouldUndoTheWideStrideLikeTheScalarForm() {
        final MiniblockUnpacker vector = vector();
        final SplittableRandom random = new SplittableRandom(SEED ^ 3);
        for (int n = 1; n <= 100; n++) {
            final long[] expected = random.longs(n).toArray();
            final long[] actual = expected.clone();
            MiniblockUnpackers.SCALAR.undoWideStride(expected, n);
            vector.undoWideStride(actual, n);
            assertThat(actual).as("n=%d", n).isEqualTo(expected);
        }
    }

    @Test
    void shouldAddTheGridLikeTheScalarForm() {
        final MiniblockUnpacker vector = vector();
        final SplittableRandom random = new SplittableRandom(SEED ^ 5);
        final long[] steps = {0, 1, -1, 15_000L << 16, Long.MAX_VALUE, Long.MIN_VALUE, random.nextLong()};
        for (final long step : steps) {
            for (int n = 1; n <= 100; n++) {
                final long first = random.nextLong();
                final long[] expected = random.longs(n).toArray();
                final long[] actual = expected.clone();
                MiniblockUnpackers.SCALAR.addGrid(expected, n, first, step);
                vector.addGrid(actual, n, first, step);
                assertThat(actual).as("n=%d step=%d", n, step).isEqualTo(expected);
            }
        }
    }
}
