package io.tidemark.promql.parser;

import io.tidemark.promql.ast.PositionRange;

/**
 * A query Prometheus would reject, with Prometheus' message: {@link #getMessage()} reads
 * {@code 1:5: parse error: unexpected <op:*>} (line and byte column of the error's start), {@link #reason()} is the
 * part after "parse error: ", and {@link #positionRange()} the byte range it refers to. Like Prometheus, only the
 * first error of a query is reported.
 */
public final class PromQlParseException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final transient PositionRange positionRange;
    private final String reason;
    private final String lineColumn;

    PromQlParseException(final String query, final PositionRange positionRange, final String reason) {
        this(positionRange, reason, positionRange.startLineColumn(query));
    }

    private PromQlParseException(final PositionRange positionRange, final String reason, final String lineColumn) {
        super(lineColumn + ": parse error: " + reason);
        this.positionRange = positionRange;
        this.reason = reason;
        this.lineColumn = lineColumn;
    }

    /** The byte range of the query the error refers to. */
    public PositionRange positionRange() {
        return positionRange;
    }

    /** The message without position, such as {@code unexpected end of input}. */
    public String reason() {
        return reason;
    }

    /** {@code line:column} of the error, both from 1, the column in bytes. */
    public String lineColumn() {
        return lineColumn;
    }
}
