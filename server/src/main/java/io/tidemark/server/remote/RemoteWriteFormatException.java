package io.tidemark.server.remote;

/**
 * A remote-write body that cannot be decoded: corrupt or truncated snappy, a decompressed size over
 * the limit, or a corrupt protobuf. The only exception the decoders throw on untrusted input; it is
 * the client's fault (HTTP 400). Made only on the error path, with the offset and what was expected in
 * the message, and without a stack trace (a malformed request is not a bug of ours).
 */
public final class RemoteWriteFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Which part of the body is wrong. */
    public enum Reason {
        /** The snappy block is corrupt or truncated. */
        SNAPPY,
        /** The snappy preamble declares more bytes than the configured maximum. */
        TOO_LARGE,
        /** The protobuf message is corrupt or truncated. */
        PROTOBUF
    }

    private final Reason reason;

    RemoteWriteFormatException(final Reason reason, final String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    static RemoteWriteFormatException snappy(final String message) {
        return new RemoteWriteFormatException(Reason.SNAPPY, "snappy: " + message);
    }

    static RemoteWriteFormatException protobuf(final String message) {
        return new RemoteWriteFormatException(Reason.PROTOBUF, "protobuf: " + message);
    }

    /** Which part of the body is wrong. */
    public Reason reason() {
        return reason;
    }
}
