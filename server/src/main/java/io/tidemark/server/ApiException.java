package io.tidemark.server;

/**
 * A request that fails with a Prometheus API error: an HTTP status, an {@code errorType} and a message, written as
 * {@code {"status":"error","errorType":...,"error":...}}.
 */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String errorType;

    /** A failure answered with {@code status}, {@code errorType} and {@code message}. */
    public ApiException(final int status, final String errorType, final String message) {
        super(message, null, false, false);
        this.status = status;
        this.errorType = errorType;
    }

    /** 400 bad_data. */
    public static ApiException badData(final String message) {
        return new ApiException(400, "bad_data", message);
    }

    /** 400 bad_data for a parameter, in Prometheus' words: {@code invalid parameter "name": why}. */
    public static ApiException invalidParameter(final String parameter, final String why) {
        return badData("invalid parameter \"" + parameter + "\": " + why);
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** Prometheus' error type: bad_data, execution, timeout, canceled, internal, unavailable, not_found. */
    public String errorType() {
        return errorType;
    }
}
