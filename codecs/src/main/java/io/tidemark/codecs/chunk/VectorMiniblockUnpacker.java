package io.tidemark.codecs.chunk;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link MiniblockUnpacker} with the Vector API, eight values at a time. Eight residuals of width w
 * take exactly w bytes, so each group of eight starts on a byte: one 64-byte load, one byte shuffle
 * that puts the eight big-endian bytes holding value j into lane j, a per-lane left shift by
 * {@code (j * w) & 7} and a right shift by {@code 64 - w}. Measured at about 0.2 ns per value
 * against about 1.4 for the scalar loop (docs/BENCHMARKS.md). Widths above 57 (a value would
 * straddle nine bytes) go to the scalar loop.
 *
 * <p>Used only where 512-bit vectors are the platform's preferred shape (AVX-512: the byte shuffle
 * is one {@code vpermb}); elsewhere {@link #createIfFast()} declines and the scalar form is used.
 */
final class VectorMiniblockUnpacker implements MiniblockUnpacker {
    private static final VectorSpecies<Byte> BYTES = ByteVector.SPECIES_512;
    private static final VectorSpecies<Long> LONGS = LongVector.SPECIES_512;
    private static final int LANES = 8;
    private static final int MAX_VECTOR_WIDTH = 57;
    private static final long[] LANE_NUMBERS = {0, 1, 2, 3, 4, 5, 6, 7};

    private final ScalarMiniblockUnpacker scalar = new ScalarMiniblockUnpacker();
    private final VectorShuffle<Byte>[] shuffles;
    private final LongVector[] shifts;

    @SuppressWarnings("unchecked")
    private VectorMiniblockUnpacker() {
        shuffles = new VectorShuffle[MAX_VECTOR_WIDTH + 1];
        shifts = new LongVector[MAX_VECTOR_WIDTH + 1];
        for (int width = 1; width <= MAX_VECTOR_WIDTH; width++) {
            final int[] indexes = new int[BYTES.length()];
            final long[] laneShifts = new long[LANES];
            for (int lane = 0; lane < LANES; lane++) {
                final int bit = lane * width;
                laneShifts[lane] = bit & 7;
                for (int b = 0; b < Long.BYTES; b++) {
                    // lanes are little-endian: lane byte b takes stream byte (bit / 8) + 7 - b
                    indexes[lane * Long.BYTES + b] = (bit >>> 3) + Long.BYTES - 1 - b;
                }
            }
            shuffles[width] = VectorShuffle.fromArray(BYTES, indexes, 0);
            shifts[width] = LongVector.fromArray(LONGS, laneShifts, 0);
        }
    }

    /** The vector form, or null where 512-bit vectors are not the preferred shape. */
    static MiniblockUnpacker createIfFast() {
        return ByteVector.SPECIES_PREFERRED.vectorBitSize() >= 512 ? new VectorMiniblockUnpacker() : null;
    }

    @Override
    public void unpack(final byte[] bytes, final int blockAt, final int width, final long minDelta, final long[] out,
                       final int at, final int count) {
        if (width > MAX_VECTOR_WIDTH) {
            scalar.unpack(bytes, blockAt, width, minDelta, out, at, count);
            return;
        }
        final VectorShuffle<Byte> shuffle = shuffles[width];
        final LongVector laneShifts = shifts[width];
        final int rightShift = 64 - width;
        final int fullGroups = count & -LANES;
        int byteAt = blockAt;
        for (int group = 0; group < fullGroups; group += LANES, byteAt += width) {
            ByteVector.fromArray(BYTES, bytes, byteAt).rearrange(shuffle).reinterpretAsLongs()
                .lanewise(VectorOperators.LSHL, laneShifts).lanewise(VectorOperators.LSHR, rightShift).add(minDelta)
                .intoArray(out, at + group);
        }
        if (fullGroups < count) {
            // a partial group: a masked store measured slow here (JFR), and the tail starts on a byte anyway
            scalar.unpack(bytes, byteAt, width, minDelta, out, at + fullGroups, count - fullGroups);
        }
    }

    @Override
    public void undoWideStride(final long[] out, final int n) {
        if (n <= LANES) {
            return;
        }
        LongVector previous = LongVector.fromArray(LONGS, out, 0);
        int i = LANES;
        for (; i + LANES <= n; i += LANES) {
            previous = previous.add(LongVector.fromArray(LONGS, out, i));
            previous.intoArray(out, i);
        }
        for (; i < n; i++) {
            out[i] += out[i - LANES];
        }
    }

    @Override
    public void addGrid(final long[] out, final int n, final long first, final long step) {
        int i = 1;
        if (n > LANES) {
            LongVector line = LongVector.fromArray(LONGS, LANE_NUMBERS, 0).add(1).mul(step); // (1..8) * step
            final long groupStep = LANES * step;
            for (; i + LANES <= n; i += LANES) {
                LongVector.fromArray(LONGS, out, i)
                    .add(line.lanewise(VectorOperators.ASHR, ChunkLayout.GRID_STEP_FRACTION_BITS)).add(first)
                    .intoArray(out, i);
                line = line.add(groupStep);
            }
        }
        ScalarMiniblockUnpacker.addGrid(out, i, n, first, step);
    }
}
