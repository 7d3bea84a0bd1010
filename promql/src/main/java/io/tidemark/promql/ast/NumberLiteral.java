package io.tidemark.promql.ast;

/**
 * A float literal such as {@code 1}, {@code 0x1f}, {@code 1e3}, {@code Inf} or {@code NaN}, or a duration literal
 * such as {@code 5m} ({@code duration} true, {@code value} in seconds) in a place that takes a number.
 */
public record NumberLiteral(double value, boolean duration, PositionRange positionRange) implements Expr {
    @Override
    public ValueType type() {
        return ValueType.SCALAR;
    }

    /** The same literal with another value, as a sign applied in front of it produces. */
    public NumberLiteral withValue(final double newValue, final PositionRange newRange) {
        return new NumberLiteral(newValue, duration, newRange);
    }

    @Override
    public String toString() {
        if (duration) {
            if (value < 0) {
                return "-" + PromQlFormat.duration(PromQlFormat.secondsToDuration(-value));
            }
            return PromQlFormat.duration(PromQlFormat.secondsToDuration(value));
        }
        return PromQlFormat.plainFloat(value);
    }
}
