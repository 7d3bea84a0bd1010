package io.tidemark.codecs.chunk;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Byte layout shared by every chunk encoding. All multi-byte integers are big-endian.
 *
 * <pre>
 *   0          1                  3
 *   +----------+------------------+------------------------------------------+
 *   | encoding | sample count     | body, by encoding (docs/format/chunks.md) |
 *   | u8       | u16, 1..65535    |                                          |
 *   +----------+------------------+------------------------------------------+
 * </pre>
 *
 * <p>A chunk's byte length is kept by whoever stores the chunk (page, block index), not in the
 * chunk; decoders are given it and never read past it.
 *
 * <p>Packed bodies store integer sequences as "delta-packed" runs:
 * <pre>
 *   +------------+-----------+-------------------------+---------------------------+
 *   | first: i64 | stride:   | head segment (stride 8: | body segment: deltas      |
 *   | (8 bytes)  | u8, 1 | 8 | deltas 1..7, step 1)    | x(i) - x(i - stride)      |
 *   +------------+-----------+-------------------------+---------------------------+
 *   grid form:  | first: i64 | 0 | step D: zigzag varint | body segment: residuals   |
 *                                                        x(i) - x(0) - (i * D >> 16) |
 *   segment: | minDelta: zigzag varint | widths: u8 per miniblock, 0..64 | miniblocks |
 *   miniblock: k = 32 residuals (fewer in the last), width bits each, MSB first, ceil(k*w/8) bytes
 * </pre>
 * All deltas are mod 2^64; residual = delta - minDelta, unsigned. For n = 1 only {@code first} is
 * present. Stride 8 lets a decoder undo the deltas eight lanes at a time; the grid form (stride
 * byte 0) needs no prefix sum at all: each value is its place on a line plus its own residual.
 */
public final class ChunkLayout {
    /** Offset of the encoding id byte. */
    public static final int ENCODING_OFFSET = 0;
    /** Offset of the u16 sample count. */
    public static final int COUNT_OFFSET = 1;
    /** Bytes before the body. */
    public static final int HEADER_BYTES = 3;
    /** Most samples in one chunk (the count is a u16). */
    public static final int MAX_SAMPLES = 0xFFFF;
    /** The stride of a packed run that a decoder can undo eight lanes at a time. */
    public static final int WIDE_STRIDE = 8;
    /**
     * The stride byte of a packed run in the grid form: residuals from the line through the first
     * value with slope {@code D / 2^16} per step, {@code D} a zigzag varint after the stride byte.
     */
    public static final int GRID_STRIDE = 0;
    /** Fraction bits of a grid run's step. */
    public static final int GRID_STEP_FRACTION_BITS = 16;
    /** Residuals per miniblock of a delta-packed run. */
    public static final int MINIBLOCK_VALUES = 32;
    /** Largest decimal exponent of a {@link ChunkEncoding#PACKED_DECIMAL} chunk. */
    public static final int MAX_DECIMAL_EXPONENT = 15;

    /** {@link ChunkEncoding#PACKED_SCALED} form byte: the decimal exponent e, 0..15. */
    public static final int SCALED_EXPONENT_MASK = 0x0F;
    /** {@link ChunkEncoding#PACKED_SCALED} form byte: values are the plain product m * r, not the quotient. */
    public static final int SCALED_PRODUCT = 0x10;
    /** {@link ChunkEncoding#PACKED_SCALED} form byte: a common factor (zigzag varint) follows the form byte. */
    public static final int SCALED_FACTOR = 0x20;
    /** {@link ChunkEncoding#PACKED_SCALED} form byte: bits that must be zero. */
    public static final int SCALED_RESERVED = 0xC0;

    /** Bytes of a miniblock of {@code values} residuals of {@code width} bits. */
    public static long miniblockBytes(final int values, final int width) {
        return ((long) values * width + 7) >>> 3;
    }

    /** Big-endian u16. */
    public static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    /** Big-endian i64. */
    public static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private ChunkLayout() {
    }
}
