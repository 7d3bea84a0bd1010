package io.tidemark.client.protocol;

/** ERROR codes (docs/protocol.md, "ERROR"), REGISTERED's refusal codes, and WRITE_ACK's refusal reasons. */
public final class ErrorCode {
    /** Connection: a length, count or field that does not fit. */
    public static final int MALFORMED_FRAME = 1;
    /** Connection: HELLO without the magic. */
    public static final int BAD_MAGIC = 2;
    /** Connection: no common version. */
    public static final int UNSUPPORTED_VERSION = 3;
    /** Connection: the token is refused. */
    public static final int AUTH_FAILED = 4;
    /** Connection: a frame above the limit. */
    public static final int FRAME_TOO_LARGE = 5;
    /** Connection: a frame before HELLO, or a second HELLO. */
    public static final int HANDSHAKE_REQUIRED = 6;
    /** Connection: a type this version does not have. */
    public static final int UNKNOWN_MESSAGE = 7;
    /** Connection: a WRITE beyond the credits. */
    public static final int CREDITS_EXCEEDED = 8;
    /** Connection: too many WRITEs unanswered. */
    public static final int TOO_MANY_IN_FLIGHT = 9;
    /** Connection: silent for too long. */
    public static final int IDLE_TIMEOUT = 10;
    /** Connection: the server is stopping. */
    public static final int SHUTTING_DOWN = 11;
    /** Connection: a tenant id that breaks the rules. */
    public static final int INVALID_TENANT = 12;
    /** Request: the ingest ring stayed full; retry. */
    public static final int OVERLOADED = 20;
    /** Request: disk full or memory limit; retry. */
    public static final int UNAVAILABLE = 21;
    /** Request: a query that does not parse, or a parameter out of range. */
    public static final int BAD_QUERY = 22;
    /** Request: the query failed while running. */
    public static final int QUERY_FAILED = 23;
    /** Request: the query ran past its timeout. */
    public static final int QUERY_TIMEOUT = 24;
    /** Request: a fault of the server. */
    public static final int INTERNAL = 25;
    /** REGISTERED: the labels break a rule. */
    public static final int INVALID_LABELS = 40;
    /** REGISTERED: the handle is not below {@code maxSeriesHandles}. */
    public static final int HANDLE_OUT_OF_RANGE = 41;
    /** REGISTERED: a new series, and the tenant has as many series as its limit allows. */
    public static final int SERIES_LIMIT = 42;

    /** WRITE_ACK reason: older than the series' newest sample. */
    public static final int REFUSED_OUT_OF_ORDER = 1;
    /** WRITE_ACK reason: same time as the newest sample, another value. */
    public static final int REFUSED_DUPLICATE_TIMESTAMP = 2;
    /** WRITE_ACK reason: older than the head's lower bound. */
    public static final int REFUSED_OUT_OF_BOUNDS = 3;
    /** WRITE_ACK reason: the handle is not bound. */
    public static final int REFUSED_UNKNOWN_HANDLE = 4;

    private ErrorCode() {
    }

    /** True for codes whose request may succeed if sent again later. */
    public static boolean retryable(final int code) {
        return code == OVERLOADED || code == UNAVAILABLE;
    }

    /** The name of an ERROR or REGISTERED code. */
    public static String name(final int code) {
        return switch (code) {
            case MALFORMED_FRAME -> "MALFORMED_FRAME";
            case BAD_MAGIC -> "BAD_MAGIC";
            case UNSUPPORTED_VERSION -> "UNSUPPORTED_VERSION";
            case AUTH_FAILED -> "AUTH_FAILED";
            case FRAME_TOO_LARGE -> "FRAME_TOO_LARGE";
            case HANDSHAKE_REQUIRED -> "HANDSHAKE_REQUIRED";
            case UNKNOWN_MESSAGE -> "UNKNOWN_MESSAGE";
            case CREDITS_EXCEEDED -> "CREDITS_EXCEEDED";
            case TOO_MANY_IN_FLIGHT -> "TOO_MANY_IN_FLIGHT";
            case IDLE_TIMEOUT -> "IDLE_TIMEOUT";
            case SHUTTING_DOWN -> "SHUTTING_DOWN";
            case INVALID_TENANT -> "INVALID_TENANT";
            case OVERLOADED -> "OVERLOADED";
            case UNAVAILABLE -> "UNAVAILABLE";
            case BAD_QUERY -> "BAD_QUERY";
            case QUERY_FAILED -> "QUERY_FAILED";
            case QUERY_TIMEOUT -> "QUERY_TIMEOUT";
            case INTERNAL -> "INTERNAL";
            case INVALID_LABELS -> "INVALID_LABELS";
            case HANDLE_OUT_OF_RANGE -> "HANDLE_OUT_OF_RANGE";
            case SERIES_LIMIT -> "SERIES_LIMIT";
            default -> "CODE_" + code;
        };
    }

    /** The name of a WRITE_ACK refusal reason. */
    public static String reasonName(final int reason) {
        return switch (reason) {
            case REFUSED_OUT_OF_ORDER -> "OUT_OF_ORDER";
            case REFUSED_DUPLICATE_TIMESTAMP -> "DUPLICATE_TIMESTAMP";
            case REFUSED_OUT_OF_BOUNDS -> "OUT_OF_BOUNDS";
            case REFUSED_UNKNOWN_HANDLE -> "UNKNOWN_HANDLE";
            default -> "REASON_" + reason;
        };
    }
}
