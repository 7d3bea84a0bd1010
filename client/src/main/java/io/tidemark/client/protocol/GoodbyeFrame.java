package io.tidemark.client.protocol;

/** GOODBYE (0x07 from the client, 0x88 from the server): no body. */
public final class GoodbyeFrame {
    /** Bytes of the frame. */
    public static final int BYTES = Protocol.HEADER_BYTES;

    private GoodbyeFrame() {
    }

    /** Writes a GOODBYE of {@code type}. */
    public static void encode(final FrameWriter out, final int type) {
        out.begin(type).end();
    }

    /** Checks a GOODBYE has no body. */
    public static void decode(final FrameReader in) {
        in.expectEnd();
    }
}
