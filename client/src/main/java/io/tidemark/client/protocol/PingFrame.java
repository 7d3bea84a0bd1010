package io.tidemark.client.protocol;

/** PING (0x06) and PONG (0x87): {@code nonce:u64}, the same in both. */
public final class PingFrame {
    /** Offset of {@code nonce}. */
    public static final int NONCE = 8;
    /** Bytes of the frame. */
    public static final int BYTES = 16;

    private PingFrame() {
    }

    /** Writes a PING ({@link MessageType#PING}) or PONG ({@link MessageType#PONG}). */
    public static void encode(final FrameWriter out, final int type, final long nonce) {
        out.begin(type).i64(nonce).end();
    }

    /** Reads the nonce of a PING or PONG. */
    public static long decode(final FrameReader in) {
        final long nonce = in.i64();
        in.expectEnd();
        return nonce;
    }
}
