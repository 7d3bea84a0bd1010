package io.tidemark.promql.ast;

import java.time.Duration;
import java.util.Objects;

/**
 * The {@code offset} of a selector or subquery as written: a fixed {@link #duration()} (negative for
 * {@code offset -5m}), or, with duration expressions, an {@link #expression()} such as {@code step()} or
 * {@code (5m + 1m)} that the evaluator resolves per query. {@link #NONE} is no offset (a zero duration).
 */
public record Offset(Duration duration, DurationExpr expression) {
    /** No offset. */
    public static final Offset NONE = new Offset(Duration.ZERO, null);

    /** Checks that {@code duration} is given. */
    public Offset {
        Objects.requireNonNull(duration, "duration");
    }

    /** A fixed offset. */
    public static Offset of(final Duration duration) {
        return new Offset(duration, null);
    }

    /** An offset computed from a duration expression. */
    public static Offset of(final DurationExpr expression) {
        return new Offset(Duration.ZERO, Objects.requireNonNull(expression, "expression"));
    }

    /** True if an offset was written, even one the evaluator may find to be zero. */
    public boolean isSet() {
        return expression != null || !duration.isZero();
    }

    /** The offset as printed after a selector, with its leading space ({@code " offset 5m"}), or "" if none. */
    @Override
    public String toString() {
        if (expression != null) {
            return " offset " + expression;
        }
        if (duration.isNegative()) {
            return " offset -" + PromQlFormat.duration(duration.negated());
        }
        if (!duration.isZero()) {
            return " offset " + PromQlFormat.duration(duration);
        }
        return "";
    }
}
