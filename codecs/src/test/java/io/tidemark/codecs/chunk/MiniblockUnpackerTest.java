package io.tidemark.codecs.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class MiniblockUnpackerTest {
    private static final long SEED = Long.getLong("tidemark.test.seed", System.nanoTime());

    private static MiniblockUnpacker vector() {
        final MiniblockUnpacker vector = MiniblockUnpackers.create();
        Assumptions.assumeTrue(vector != MiniblockUnpackers.SCALAR,
            "no 512-bit Vector API on this JVM/CPU: only the scalar form is in use here");
        return vector;
    }

    @Test
    void shouldPickTheVectorFormExactlyWhenTheModuleAndWideVectorsAreThere() {
        final boolean module = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        final boolean wide = module && jdk.incubator.vector.ByteVector.SPECIES_PREFERRED.vectorBitSize() >= 512;
        System.out.println("MiniblockUnpackers.create()=" + MiniblockUnpackers.describe() + " module=" + module + " wide=" + wide);
        assertThat(MiniblockUnpackers.describe()).isEqualTo(wide ? "vector512" : "scalar");
    }

    @Test
    void shouldUnpackEveryWidthAndLengthLikeTheScalarForm() {
        final MiniblockUnpacker vector = vector();
        System.out.println("MiniblockUnpackerTest seed=" + SEED);
        final SplittableRandom random = new SplittableRandom(SEED);
        final byte[] bytes = new byte[1 + 16 + 4 * 64 + ChunkBytes.PADDING];
        for (int round = 0; round < 20; round++) {
            random.nextBytes(bytes);
            final long minDelta = random.nextLong();
            for (int width = 0; width <= 64; width++) {
                bytes[0] = (byte) width;
                for (int count = 1; count <= ChunkLayout.MINIBLOCK_VALUES; count++) {
                    final int at = random.nextInt(0, 8);
                    final int blockAt = random.nextInt(1, 17);
                    // arrays that end where the values do: a store past them fails the test
                    final long[] expected = new long[at + count];
                    final long[] actual = new long[at + count];
                    java.util.Arrays.fill(expected, -7);
                    java.util.Arrays.fill(actual, -7);
                    ((ScalarMiniblockUnpacker) MiniblockUnpackers.SCALAR).unpack(bytes, blockAt, width, minDelta, expected,
                        at, count);
                    vector.segment(bytes, 0, blockAt, minDelta, actual, at, count, MiniblockUnpacker.PLAIN, 0, 0);
                    assertThat(actual).as("width=%d count=%d at=%d blockAt=%d", width, count, at, blockAt).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void shouldDecodeSegmentsOfEveryFormLikeTheScalarForm() {
        final MiniblockUnpacker vector = vector();
        final SplittableRandom random = new SplittableRandom(SEED ^ 3);
        final long[] steps = {0, 1, -1, 15_000L << 16, Long.MAX_VALUE, Long.MIN_VALUE, random.nextLong()};
        final int[] forms = {MiniblockUnpacker.PLAIN, MiniblockUnpacker.GRID, MiniblockUnpacker.WIDE};
        final byte[] bytes = new byte[16 + 8 + 4 * 64 * 8 + ChunkBytes.PADDING];
        for (int round = 0; round < 400; round++) {
            final int count = random.nextInt(1, 4 * ChunkLayout.MINIBLOCK_VALUES + 1);
            final int at = random.nextInt(ChunkLayout.WIDE_STRIDE, ChunkLayout.WIDE_STRIDE + 5);
            final int form = forms[round % forms.length];
            final long step = steps[random.nextInt(steps.length)];
            final long first = random.nextLong();
            final long minDelta = random.nextInt(4) == 0 ? random.nextLong() : random.nextInt(-100, 100);
            random.nextBytes(bytes);
            final int widthsAt = random.nextInt(0, 8);
            final int miniblocks = (count + ChunkLayout.MINIBLOCK_VALUES - 1) / ChunkLayout.MINIBLOCK_VALUES;
            for (int block = 0; block < miniblocks; block++) {
                // every width, 0 and the scalar-only ones above 57 included, in any order
                bytes[widthsAt + block] = (byte) (random.nextInt(3) == 0 ? random.nextInt(0, 65) : random.nextInt(1, 20));
            }
            final int blockAt = widthsAt + miniblocks + random.nextInt(0, 8);
            // arrays that end where the segment does: a store past it fails the test
            final long[] expected = new long[at + count];
            for (int i = 0; i < at; i++) {
                expected[i] = random.nextLong();
            }
            final long[] actual = expected.clone();
            MiniblockUnpackers.SCALAR.segment(bytes, widthsAt, blockAt, minDelta, expected, at, count, form, first, step);
            vector.segment(bytes, widthsAt, blockAt, minDelta, actual, at, count, form, first, step);
            assertThat(actual).as("round=%d form=%d count=%d at=%d step=%d", round, form, count, at, step).isEqualTo(expected);
        }
    }

    @Test
    void shouldUnscaleLikeTheScalarForm() {
        final MiniblockUnpacker vector = vector();
        final SplittableRandom random = new SplittableRandom(SEED ^ 5);
        for (int n = 0; n <= 40; n++) {
            final long[] integers = new long[n];
            for (int i = 0; i < n; i++) {
                integers[i] = switch (random.nextInt(3)) {
                    case 0 -> random.nextLong(-(1L << 53), 1L << 53);
                    case 1 -> random.nextLong(-100_000, 100_000);
                    default -> random.nextLong();
                };
            }
            for (int exponent = 0; exponent <= ChunkLayout.MAX_DECIMAL_EXPONENT; exponent++) {
                final double[] expected = new double[n];
                final double[] actual = new double[n];
                final double power = DecimalScaler.POWERS_OF_TEN[exponent];
                final double reciprocal = DecimalScaler.RECIPROCALS[exponent];
                MiniblockUnpackers.SCALAR.unscale(integers, n, power, reciprocal, expected);
                vector.unscale(integers, n, power, reciprocal, actual);
                for (int i = 0; i < n; i++) {
                    assertThat(Double.doubleToRawLongBits(actual[i])).as("m=%d e=%d", integers[i], exponent)
                        .isEqualTo(Double.doubleToRawLongBits(expected[i]));
                }
            }
        }
    }
}
