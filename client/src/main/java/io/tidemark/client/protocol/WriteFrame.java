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

    /** Writes a frame of the first {@code n} samples of the columns. */
    public static void encode(final FrameWriter out, final long requestId, final int durability, final int[] handles,
                              final long[] timestamps, final double[] values, final int n) {
        out.ensure(frameBytes(n));
        out.begin(MessageType.WRITE).i64(requestId).u8(durability).zeros(3).u32(n).u32s(handles, n);
        if ((n & 1) != 0) {
            out.u32(0);
        }
        out.i64s(timestamps, n).f64s(values, n).end();
    }
}
