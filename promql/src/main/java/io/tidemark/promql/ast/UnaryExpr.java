package io.tidemark.promql.ast;

/**
 * A sign in front of a non-literal expression, such as {@code -rate(x[5m])}. A sign in front of a number literal is
 * folded into the literal instead, as Prometheus does.
 */
public record UnaryExpr(Op op, Expr expr, int startPosition) implements Expr {
    /** The two unary operators. */
    public enum Op {
        /** {@code +}: the value unchanged. */
        PLUS("+"),
        /** {@code -}: the value negated. */
        MINUS("-");

        private final String text;

        Op(final String text) {
            this.text = text;
        }

        /** The PromQL spelling. */
        public String text() {
            return text;
        }
    }

    @Override
    public ValueType type() {
        return expr.type();
    }

    @Override
    public PositionRange positionRange() {
        return new PositionRange(startPosition, expr.positionRange().end());
    }

    @Override
    public String toString() {
        return op.text + expr;
    }
}
