package io.tidemark.codecs.chunk;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.DoubleVector;
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
 * <p>Not thread-safe: a scratch group per instance ({@link MiniblockUnpackers#create()} gives one per
 * decoder). Used only where 512-bit vectors are the platform's preferred shape (AVX-512: the byte shuffle
 * is one {@code vpermb}); elsewhere {@link #isFast()} says no and the scalar form is used.
 */
final class VectorMiniblockUnpacker implements MiniblockUnpacker {
    private static final VectorSpecies<Byte> BYTES = ByteVector.SPECIES_512;
    private static final VectorSpecies<Long> LONGS = LongVector.SPECIES_512;
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_512;
    private static final int LANES = 8;
    private static final int MAX_VECTOR_WIDTH = 57;
    private static final long[] LANE_NUMBERS = {0, 1, 2, 3, 4, 5, 6, 7};

    private final ScalarMiniblockUnpacker scalar = new ScalarMiniblockUnpacker();
    /** The scratch group for a segment's partial last group: one instance per thread. */
    private final long[] tail = new long[LANES];
    /**
     * Per width, the 64 byte indexes of the shuffle and the 8 lane shifts, in flat arrays: loading them as
     * vectors at each miniblock measured faster than loading {@code VectorShuffle} and {@code LongVector}
     * objects from arrays of them (docs/BENCHMARKS.md).
     */
    private static final byte[] SHUFFLE_INDEXES = new byte[(MAX_VECTOR_WIDTH + 1) * 64];
    private static final long[] LANE_SHIFTS = new long[(MAX_VECTOR_WIDTH + 1) * LANES];

    static {
        for (int width = 1; width <= MAX_VECTOR_WIDTH; width++) {
            for (int lane = 0; lane < LANES; lane++) {
                final int bit = lane * width;
                LANE_SHIFTS[width * LANES + lane] = bit & 7;
                for (int b = 0; b < Long.BYTES; b++) {
                    // lanes are little-endian: lane byte b takes stream byte (bit / 8) + 7 - b
                    SHUFFLE_INDEXES[width * 64 + lane * Long.BYTES + b] = (byte) ((bit >>> 3) + Long.BYTES - 1 - b);
                }
            }
        }
    }

    /** Whether 512-bit vectors are the preferred shape here, the only place this form is used. */
    static boolean isFast() {
        return ByteVector.SPECIES_PREFERRED.vectorBitSize() >= 512;
    }

    @Override
    public void segment(final byte[] bytes, final int widthsAt, final int blockAt, final long minDelta, final long[] out,
                        final int at, final int count, final int form, final long first, final long step) {
        final long groupStep = LANES * step;
        int byteAt = blockAt;
        for (int done = 0, block = widthsAt; done < count; done += ChunkLayout.MINIBLOCK_VALUES, block++) {
            final int width = bytes[block];
            final int values = Math.min(ChunkLayout.MINIBLOCK_VALUES, count - done);
            final int i = at + done;
            if (width == 0 || width > MAX_VECTOR_WIDTH) {
                // rare (constant deltas, or values that straddle nine bytes): all scalar
                scalar.segment(bytes, block, byteAt, minDelta, out, i, values, form, first, step);
            } else {
                final VectorShuffle<Byte> shuffle = ByteVector.fromArray(BYTES, SHUFFLE_INDEXES, width * 64).toShuffle();
                final LongVector shifts = LongVector.fromArray(LONGS, LANE_SHIFTS, width * LANES);
                final int rightShift = 64 - width;
                // what each group of deltas gets added: nothing, the line's next eight places, or the eight values
                // before; built afresh per miniblock, as a vector carried across miniblocks measured slower
                LongVector carry = carryAt(out, i, form, step);
                final int fullGroups = values & -LANES;
                int groupAt = byteAt;
                for (int group = 0; group < fullGroups; group += LANES, groupAt += width) {
                    final LongVector value = place(deltas(bytes, groupAt, shuffle, shifts, rightShift, minDelta), carry,
                        form, first);
                    carry = next(carry, value, form, groupStep);
                    value.intoArray(out, i + group);
                }
                if (fullGroups < values) {
                    // the last, partial group: a whole vector (the chunk copy is padded) stored through a scratch
                    // array, since out may end here
                    place(deltas(bytes, groupAt, shuffle, shifts, rightShift, minDelta), carry, form, first)
                        .intoArray(tail, 0);
                    System.arraycopy(tail, 0, out, i + fullGroups, values - fullGroups);
                }
            }
            byteAt += (int) ChunkLayout.miniblockBytes(values, width);
        }
    }

    /** The eight deltas of the group at {@code groupAt}: one load, the byte shuffle, two shifts, the minimum. */
    private static LongVector deltas(final byte[] bytes, final int groupAt, final VectorShuffle<Byte> shuffle,
                                     final LongVector shifts, final int rightShift, final long minDelta) {
        return ByteVector.fromArray(BYTES, bytes, groupAt).rearrange(shuffle).reinterpretAsLongs()
            .lanewise(VectorOperators.LSHL, shifts).lanewise(VectorOperators.LSHR, rightShift).add(minDelta);
    }

    /** The carry for a group starting at {@code i}; for WIDE, {@code out[i - 8..i)} must hold values. */
    private static LongVector carryAt(final long[] out, final int i, final int form, final long step) {
        if (form == GRID) {
            return LongVector.fromArray(LONGS, LANE_NUMBERS, 0).add(i).mul(step);
        }
        return form == WIDE ? LongVector.fromArray(LONGS, out, i - LANES) : LongVector.zero(LONGS);
    }

    private static LongVector place(final LongVector deltas, final LongVector carry, final int form, final long first) {
        if (form == GRID) {
            return deltas.add(carry.lanewise(VectorOperators.ASHR, ChunkLayout.GRID_STEP_FRACTION_BITS)).add(first);
        }
        return form == WIDE ? deltas.add(carry) : deltas;
    }

    private static LongVector next(final LongVector carry, final LongVector value, final int form, final long groupStep) {
        if (form == GRID) {
            return carry.add(groupStep);
        }
        return form == WIDE ? value : carry;
    }

    @Override
    public void unscale(final long[] in, final int n, final double power, final double reciprocal, final double[] out) {
        final DoubleVector powers = DoubleVector.broadcast(DOUBLES, power);
        final DoubleVector reciprocals = DoubleVector.broadcast(DOUBLES, reciprocal);
        int i = 0;
        for (; i + LANES <= n; i += LANES) {
            final DoubleVector m = (DoubleVector) LongVector.fromArray(LONGS, in, i).convert(VectorOperators.L2D, 0);
            final DoubleVector quotient = m.mul(reciprocals);
            quotient.neg().fma(powers, m).fma(reciprocals, quotient).intoArray(out, i);
        }
        for (; i < n; i++) {
            out[i] = DecimalScaler.unscale(in[i], power, reciprocal);
        }
    }
}
