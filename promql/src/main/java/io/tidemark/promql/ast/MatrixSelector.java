package io.tidemark.promql.ast;

import java.time.Duration;

/**
 * A range vector selector, {@code selector[5m]}. The range is either the fixed {@code range} or, with duration
 * expressions, {@code rangeExpression} (then {@code range} is zero). The selector's offset, {@code @} and extended
 * range modifiers, written after the brackets, are kept on {@code selector}. {@code endPosition} is the byte offset
 * just past the last token of the whole expression.
 */
public record MatrixSelector(VectorSelector selector, Duration range, DurationExpr rangeExpression, int endPosition)
    implements Expr {

    @Override
    public ValueType type() {
        return ValueType.MATRIX;
    }

    @Override
    public PositionRange positionRange() {
        return new PositionRange(selector.positionRange().start(), endPosition);
    }

    /** This range selector with its selector replaced and a new end. */
    public MatrixSelector withSelector(final VectorSelector newSelector, final int newEnd) {
        return new MatrixSelector(newSelector, range, rangeExpression, newEnd);
    }

    @Override
    public String toString() {
        final String rangeText = rangeExpression != null ? rangeExpression.toString() : PromQlFormat.duration(range);
        final String extended = selector.anchored() ? " anchored" : selector.smoothed() ? " smoothed" : "";
        return selector.selectorText() + "[" + rangeText + "]" + extended + selector.at() + selector.offset();
    }
}
