package io.tidemark.promql.ast;

import java.time.Duration;

/**
 * A subquery, {@code expr[range:step]}. {@code step} is zero when omitted ({@code [30m:]}), meaning the evaluator's
 * default resolution; with duration expressions {@code rangeExpression} or {@code stepExpression} replaces the
 * fixed value. {@code offset} and {@code at} are the modifiers written after the brackets.
 */
public record SubqueryExpr(Expr expr, Duration range, DurationExpr rangeExpression, Duration step,
                           DurationExpr stepExpression, Offset offset, AtModifier at, int endPosition)
    implements Expr {

    @Override
    public ValueType type() {
        return ValueType.MATRIX;
    }

    @Override
    public PositionRange positionRange() {
        return new PositionRange(expr.positionRange().start(), endPosition);
    }

    /** This subquery with another offset, ending at {@code end}. */
    public SubqueryExpr withOffset(final Offset newOffset, final int end) {
        return new SubqueryExpr(expr, range, rangeExpression, step, stepExpression, newOffset, at, end);
    }

    /** This subquery with another {@code @} modifier, ending at {@code end}. */
    public SubqueryExpr withAt(final AtModifier newAt, final int end) {
        return new SubqueryExpr(expr, range, rangeExpression, step, stepExpression, offset, newAt, end);
    }

    /** This subquery over another inner expression. */
    public SubqueryExpr withExpr(final Expr newExpr) {
        return new SubqueryExpr(newExpr, range, rangeExpression, step, stepExpression, offset, at, endPosition);
    }

    @Override
    public String toString() {
        final String rangeText = rangeExpression != null ? rangeExpression.toString() : PromQlFormat.duration(range);
        final String stepText;
        if (!step.isZero()) {
            stepText = PromQlFormat.duration(step);
        } else if (stepExpression != null) {
            stepText = stepExpression.toString();
        } else {
            stepText = "";
        }
        return expr + "[" + rangeText + ":" + stepText + "]" + at + offset;
    }
}
