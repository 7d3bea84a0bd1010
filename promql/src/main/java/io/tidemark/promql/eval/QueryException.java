package io.tidemark.promql.eval;

/**
 * A query that could not be evaluated, with Prometheus' wording in the message and the kind of failure, which the
 * HTTP API maps to an error type and status.
 */
public final class QueryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Kind {
        /** The query is valid PromQL but cannot be evaluated on this data (Prometheus' {@code execution}). */
        EXECUTION,
        /** The query ran longer than its timeout. */
        TIMEOUT,
        /** The query was cancelled. */
        CANCELED,
        /** The query would load more samples than allowed. */
        TOO_MANY_SAMPLES,
        /** The query or its parameters are malformed. */
        BAD_DATA
    }

    private final Kind kind;

    /** A failure of {@code kind} described by {@code message}. */
    public QueryException(final Kind kind, final String message) {
        super(message);
        this.kind = kind;
    }

    /** What went wrong. */
    public Kind kind() {
        return kind;
    }

    static QueryException execution(final String message) {
        return new QueryException(Kind.EXECUTION, message);
    }
}
