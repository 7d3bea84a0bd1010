package io.tidemark.client.protocol;

/**
 * ERROR (0x8F): {@code requestId:u64 code:u16 message:str16}; request id 0 is about the connection, which then closes.
 *
 * @param requestId the request that failed, or 0
 * @param code      an {@link ErrorCode}
 * @param message   what was wrong
 */
public record ErrorFrame(long requestId, int code, String message) {
    /** Offset of {@code requestId}. */
    public static final int REQUEST_ID = 8;
    /** Offset of {@code code}. */
    public static final int CODE = 16;
    /** Offset of {@code message}. */
    public static final int MESSAGE = 18;
    /** Most bytes of the message sent (longer ones are cut at a character boundary). */
    public static final int MAX_MESSAGE_BYTES = 4096;

    /** Writes the frame, cutting a long message. */
    public void encode(final FrameWriter out) {
        String text = message == null ? "" : message;
        if (text.length() > MAX_MESSAGE_BYTES / 4) {
            int cut = MAX_MESSAGE_BYTES / 4;
            if (Character.isHighSurrogate(text.charAt(cut - 1))) {
                cut--; // never split a surrogate pair: its half would be sent as '?'
            }
            text = text.substring(0, cut);
        }
        out.begin(MessageType.ERROR).i64(requestId).u16(code).string16(text).end();
    }

    /** Reads the body of an ERROR frame. */
    public static ErrorFrame decode(final FrameReader in) {
        final long id = in.i64();
        final int code = in.u16();
        final String message = in.string16(0xFFFF, "message");
        in.expectEnd();
        return new ErrorFrame(id, code, message);
    }

    /** True when the error ends the connection. */
    public boolean aboutConnection() {
        return requestId == 0;
    }
}
