package io.tidemark.server.remote.read;

/**
 * A remote read that failed, with the HTTP status to answer: {@link #BAD_REQUEST} for input that is malformed or
 * asks for too much (as Prometheus' read handler answers), {@link #INTERNAL_ERROR} for failures of ours.
 */
public final class RemoteReadException extends RuntimeException {
    /** HTTP 400: malformed snappy, protobuf or matchers, unsupported response types, a limit exceeded. */
    public static final int BAD_REQUEST = 400;
    /** HTTP 500: the storage failed while answering. */
    public static final int INTERNAL_ERROR = 500;

    private static final long serialVersionUID = 1L;

    private final int status;

    /** An error answered with HTTP {@code status}; {@code message} is the response body. */
    public RemoteReadException(final int status, final String message) {
        super(message);
        this.status = status;
    }

    /** An error answered with HTTP {@code status}, caused by {@code cause}. */
    public RemoteReadException(final int status, final String message, final Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** The HTTP status to answer with. */
    public int status() {
        return status;
    }

    static RemoteReadException badRequest(final String message) {
        return new RemoteReadException(BAD_REQUEST, message);
    }
}
