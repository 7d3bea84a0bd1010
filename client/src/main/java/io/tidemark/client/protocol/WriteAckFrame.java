package io.tidemark.client.protocol;

/**
 * WRITE_ACK (0x83): {@code requestId:u64 durability:u8 flags:u8 details:u16 stored:u32 refused:u32 credits:u32}, then
 * {@code details} × {@code { handle:u32 reason:u16 reserved:u16 samples:u32 reserved:u32 firstTimestamp:i64 }}: 24
 * bytes, so that every {@code firstTimestamp} starts at a multiple of 8 from the frame's start.
 *
 * <p>An instance is a reusable holder that {@link #decode} fills without allocating once its detail arrays have
 * grown to the largest acknowledgement seen.
 */
public final class WriteAckFrame {
    /** Offset of {@code requestId}. */
    public static final int REQUEST_ID = 8;
    /** Offset of {@code durability}. */
    public static final int DURABILITY = 16;
    /** Offset of {@code flags}. */
    public static final int FLAGS = 17;
    /** Offset of {@code details}. */
    public static final int DETAILS = 18;
    /** Offset of {@code stored}. */
    public static final int STORED = 20;
    /** Offset of {@code refused}. */
    public static final int REFUSED = 24;
    /** Offset of {@code credits}. */
    public static final int CREDITS = 28;
    /** Offset of the first detail. */
    public static final int FIRST_DETAIL = 32;
    /** Bytes of one detail. */
    public static final int DETAIL_BYTES = 24;
    /** Offset of {@code samples} in a detail. */
    public static final int DETAIL_SAMPLES = 8;
    /** Offset of {@code firstTimestamp} in a detail. */
    public static final int DETAIL_FIRST_TIMESTAMP = 16;
    /** {@code flags} bit: more series were refused than details fit. */
    public static final int DETAILS_TRUNCATED = 1;

    private long requestId;
    private int durability;
    private int flags;
    private long stored;
    private long refused;
    private long credits;
    private int details;
    private int[] handles = new int[8];
    private int[] reasons = new int[8];
    private long[] samples = new long[8];
    private long[] firstTimestamps = new long[8];

    /** Writes the header part of an acknowledgement with {@code details} details to follow ({@link #encodeDetail}). */
    public static void encodeHead(final FrameWriter out, final long requestId, final int durability, final int flags,
                                  final int details, final long stored, final long refused, final long credits) {
        out.begin(MessageType.WRITE_ACK).i64(requestId).u8(durability).u8(flags).u16(details).u32(stored).u32(refused)
            .u32(credits);
    }

    /** Writes one detail after {@link #encodeHead}; the caller ends the frame. */
    public static void encodeDetail(final FrameWriter out, final int handle, final int reason, final long samples,
                                    final long firstTimestamp) {
        out.u32(handle).u16(reason).u16(0).u32(samples).u32(0).i64(firstTimestamp);
    }

    /** Fills this holder from the body of a WRITE_ACK frame. */
    public WriteAckFrame decode(final FrameReader in) {
        requestId = in.i64();
        durability = in.u8();
        flags = in.u8();
        final int count = in.u16();
        stored = in.u32();
        refused = in.u32();
        credits = in.u32();
        if ((long) count * DETAIL_BYTES != in.remaining()) {
            throw FrameReader.malformed("WRITE_ACK: " + count + " details need " + count * DETAIL_BYTES + " bytes, "
                + in.remaining() + " are left");
        }
        if (count > handles.length) {
            final int size = Math.max(count, handles.length * 2);
            handles = new int[size];
            reasons = new int[size];
            samples = new long[size];
            firstTimestamps = new long[size];
        }
        for (int i = 0; i < count; i++) {
            handles[i] = (int) in.u32();
            reasons[i] = in.u16();
            in.reserved(2);
            samples[i] = in.u32();
            in.reserved(4);
            firstTimestamps[i] = in.i64();
        }
        details = count;
        return this;
    }

    /** The WRITE acknowledged. */
    public long requestId() {
        return requestId;
    }

    /** {@link WriteFrame#APPLIED} or {@link WriteFrame#DURABLE}. */
    public int durability() {
        return durability;
    }

    /** True if more series were refused than details fit. */
    public boolean detailsTruncated() {
        return (flags & DETAILS_TRUNCATED) != 0;
    }

    /** Samples stored. */
    public long stored() {
        return stored;
    }

    /** Samples refused. */
    public long refused() {
        return refused;
    }

    /** Credits given back. */
    public long credits() {
        return credits;
    }

    /** Refusal details. */
    public int details() {
        return details;
    }

    /** Handle of detail {@code i}. */
    public int handle(final int i) {
        return handles[i];
    }

    /** Reason of detail {@code i} ({@link ErrorCode#REFUSED_OUT_OF_ORDER} ...). */
    public int reason(final int i) {
        return reasons[i];
    }

    /** Samples folded into detail {@code i}. */
    public long samples(final int i) {
        return samples[i];
    }

    /** Timestamp of the first sample of detail {@code i}. */
    public long firstTimestamp(final int i) {
        return firstTimestamps[i];
    }
}
