package io.tidemark.client.protocol;

/** A frame that breaks docs/protocol.md, with the ERROR code that says so. */
public final class ProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int code;

    /** A failure with one of {@link ErrorCode}'s codes. */
    public ProtocolException(final int code, final String message) {
        super(message, null, false, false);
        this.code = code;
    }

    /** The {@link ErrorCode}. */
    public int code() {
        return code;
    }
}
