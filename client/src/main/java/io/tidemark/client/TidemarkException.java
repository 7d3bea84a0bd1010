package io.tidemark.client;

import io.tidemark.client.protocol.ErrorCode;

/**
 * A request or connection that failed. {@link #code()} is the server's {@link ErrorCode} when the server said no
 * (ERROR frame), or one of this class's client-side codes ({@link #CONNECTION_LOST}, {@link #TIMEOUT},
 * {@link #NOT_CONNECTED}, {@link #CLOSED}); {@link #retryable()} says whether sending the same request again later
 * may succeed. Errors are off the hot path, so each failure allocates its own exception.
 */
public final class TidemarkException extends RuntimeException {
    /** The connection broke before the request was answered; the client reconnects by itself. */
    public static final int CONNECTION_LOST = 1000;
    /** No answer within the request timeout (the request may still take effect). */
    public static final int TIMEOUT = 1001;
    /** No connection came back within the request timeout. */
    public static final int NOT_CONNECTED = 1002;
    /** The client is closed. */
    public static final int CLOSED = 1003;

    private static final long serialVersionUID = 1L;

    private final int code;

    /** A failure with {@code code} and a message for a person. */
    public TidemarkException(final int code, final String message) {
        this(code, message, null);
    }

    /** A failure with {@code code}, a message and what caused it. */
    public TidemarkException(final int code, final String message, final Throwable cause) {
        super(codeName(code) + ": " + message, cause);
        this.code = code;
    }

    /** The {@link ErrorCode} from the server, or a client-side code of this class. */
    public int code() {
        return code;
    }

    /** The code's name, e.g. {@code OVERLOADED} or {@code CONNECTION_LOST}. */
    public String codeName() {
        return codeName(code);
    }

    /**
     * True when the same request may succeed if sent again later: the server was overloaded or out of room, the
     * connection broke, or no answer came in time. A WRITE sent again is safe: samples already stored are identical
     * duplicates, which are not refused.
     */
    public boolean retryable() {
        return ErrorCode.retryable(code) || code == CONNECTION_LOST || code == TIMEOUT || code == NOT_CONNECTED;
    }

    /** The name of a server or client code. */
    public static String codeName(final int code) {
        return switch (code) {
            case CONNECTION_LOST -> "CONNECTION_LOST";
            case TIMEOUT -> "TIMEOUT";
            case NOT_CONNECTED -> "NOT_CONNECTED";
            case CLOSED -> "CLOSED";
            default -> ErrorCode.name(code);
        };
    }
}
