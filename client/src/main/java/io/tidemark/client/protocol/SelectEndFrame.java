package io.tidemark.client.protocol;

/**
 * SELECT_END (0x86): {@code requestId:u64 series:u32 samples:u64}.
 *
 * @param requestId the SELECT answered
 * @param series    series sent
 * @param samples   samples sent
 */
public record SelectEndFrame(long requestId, long series, long samples) {
    /** Offset of {@code requestId}. */
    public static final int REQUEST_ID = 8;
    /** Offset of {@code series}. */
    public static final int SERIES = 16;
    /** Offset of {@code samples}. */
    public static final int SAMPLES = 20;
    /** Bytes of the frame. */
    public static final int BYTES = 28;

    /** Writes the frame. */
    public void encode(final FrameWriter out) {
        out.begin(MessageType.SELECT_END).i64(requestId).u32(series).i64(samples).end();
    }

    /** Reads the body of a SELECT_END frame. */
    public static SelectEndFrame decode(final FrameReader in) {
        final SelectEndFrame frame = new SelectEndFrame(in.i64(), in.u32(), in.i64());
        in.expectEnd();
        return frame;
    }
}
