package io.tidemark.promql.ast;

/**
 * A PromQL expression. Every node is an immutable record; {@link #toString()} prints it back as PromQL in the form
 * Prometheus' printer writes (for example {@code sum by (job) (rate(x[5m]))}).
 */
public sealed interface Expr permits AggregateExpr, BinaryExpr, Call, DurationExpr, MatrixSelector, NumberLiteral,
    ParenExpr, StringLiteral, SubqueryExpr, UnaryExpr, VectorSelector {

    /** The type this expression evaluates to, as Prometheus' {@code Expr.Type()} reports it (no deep checks). */
    ValueType type();

    /** Where the expression stands in the query text, in UTF-8 byte offsets. */
    PositionRange positionRange();
}
