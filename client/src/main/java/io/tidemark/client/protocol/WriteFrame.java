package io.tidemark.client.protocol;

/**
 * WRITE (0x03), in columns:
 * {@code requestId:u64 durability:u8 reserved:u8×3 count:u32 handles:u32×n pad timestamps:i64×n values:f64×n}, where
 * {@code pad} is 4 zero bytes when {@code n} is odd, so the timestamps start at a multiple of 8. Encoding and the
 * offsets allocate nothing: the server reads the columns in place at {@link #handlesOffset()},
 * {@link #timestampsOffset(int)} and {@link #valuesOffset(int)} from the frame's start.
 */
public final class WriteFrame {
    /** Offset of {@code requestId}. */
    public static final int REQUEST_ID = 8;
    /** Offset of {@code durability}. */
    public static final int DURABILITY = 16;
    /** Offset of the reserved bytes. */
    public static final int RESERVED = 17;
    /** Offset of {@code count}. */
    public static final int COUNT = 20;
    /** Offset of the handles. */
    public static final int HANDLES = 24;
    /** {@code durability}: acknowledged once visible to queries. */
    public static final int APPLIED = 0;
    /** {@code durability}: acknowledged once in the write-ahead log as the server's mode says. */
    public static final int DURABLE = 1;

    private WriteFrame() {
    }

    /** Offset of the handle column. */
    public static int handlesOffset() {
        return HANDLES;
    }

    /** Offset of the timestamp column of a frame of {@code n} samples. */
    public static long timestampsOffset(final int n) {
        return HANDLES + 4L * n + ((n & 1) == 0 ? 0 : 4);
    }

    /** Offset of the value column. */
    public static long valuesOffset(final int n) {
        return timestampsOffset(n) + 8L * n;
    }

    /** Bytes of a frame of {@code n} samples. */
    public static long frameBytes(final int n) {
        return valuesOffset(n) + 8L * n;
    }

    /** Most samples a frame of at most {@code maxFrameBytes} holds. */
    public static int maxSamples(final int maxFrameBytes) {
        return (int) Math.max(0, (maxFrameBytes - HANDLES - 4) / 20);
    }

    /**
     * A decoded WRITE, for tests and tools (the server reads the columns in place).
     *
     * @param requestId  the request id
     * @param durability {@link #APPLIED} or {@link #DURABLE}
     * @param handles    the handle column
     * @param timestamps the timestamp column, milliseconds
     * @param values     the value column, bit patterns kept
     */
    public record Columns(long requestId, int durability, int[] handles, long[] timestamps, double[] values) {
    }

    /** Reads the body of a WRITE frame: {@code 1 ≤ n}, the count must fit the frame exactly, pad and reserved 0. */
    public static Columns decode(final FrameReader in) {
        final long id = in.i64();
        final int durability = in.u8();
        in.reserved(3);
        final int n = in.u32Max(in.remaining() / 20, "sample count");
        if (n < 1) {
            throw FrameReader.malformed("WRITE: a WRITE carries at least one sample");
        }
        final int[] handles = new int[n];
        final long[] timestamps = new long[n];
        final double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            handles[i] = (int) in.u32();
        }
        if ((n & 1) != 0) {
            in.reserved(4);
        }
        for (int i = 0; i < n; i++) {
            timestamps[i] = in.i64();
        }
        for (int i = 0; i < n; i++) {
            values[i] = in.f64();
        }
        in.expectEnd();
        if (durability != APPLIED && durability != DURABLE) {
            throw FrameReader.malformed("WRITE: durability " + durability + " is neither 0 nor 1");
        }
        return new Columns(id, durability, handles, timestamps, values);
    }

    /** Writes a frame of the first {@code n} samples of the columns. */
    public static void encode(final FrameWriter out, final long requestId, final int durability, final int[] handles,
                              final long[] timestamps, final double[] values, final int n) {
        encode(out, requestId, durability, handles, timestamps, values, 0, n);
    }

    /** Writes a frame of the {@code n} samples of the columns from index {@code from}. */
    public static void encode(final FrameWriter out, final long requestId, final int durability, final int[] handles,
                              final long[] timestamps, final double[] values, final int from, final int n) {
        if (n < 1) {
            throw new IllegalArgumentException("a WRITE carries at least one sample, n=" + n);
        }
        out.ensure(frameBytes(n));
        out.begin(MessageType.WRITE).i64(requestId).u8(durability).zeros(3).u32(n).u32s(handles, from, n);
        if ((n & 1) != 0) {
            out.u32(0);
        }
        out.i64s(timestamps, from, n).f64s(values, from, n).end();
    }
}
