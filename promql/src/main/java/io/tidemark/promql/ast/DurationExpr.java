package io.tidemark.promql.ast;

/**
 * An experimental duration expression, in a range, a subquery step or an offset: arithmetic on durations
 * ({@code [5m + 1m]}), {@code step()}, {@code range()}, {@code min_of(a, b)} and {@code max_of(a, b)}. Its value is a
 * number of seconds (type scalar) that the evaluator computes per query.
 *
 * <p>Shapes: a binary operation has both {@code lhs} and {@code rhs}; a sign has only {@code rhs} ({@link Op#ADD} or
 * {@link Op#SUB}); {@code step()} and {@code range()} have neither; {@code min_of} and {@code max_of} have both.
 * Operands are {@link NumberLiteral}s or other {@code DurationExpr}s. {@code wrapped} records parentheses so that
 * printing gives them back.
 */
public record DurationExpr(Op op, Expr lhs, Expr rhs, boolean wrapped, int startPosition, int endPosition)
    implements Expr {

    /** The operations of duration expressions. */
    public enum Op {
        /** {@code +}, binary or a sign. */
        ADD("+"),
        /** {@code -}, binary or a sign. */
        SUB("-"),
        /** {@code *}. */
        MUL("*"),
        /** {@code /}. */
        DIV("/"),
        /** {@code %}. */
        MOD("%"),
        /** {@code ^}. */
        POW("^"),
        /** {@code step()}: the query's step (zero for an instant query). */
        STEP("step"),
        /** {@code range()}: the query's end minus its start. */
        RANGE("range"),
        /** {@code min_of(a, b)}. */
        MIN_OF("min_of"),
        /** {@code max_of(a, b)}. */
        MAX_OF("max_of");

        private final String text;

        Op(final String text) {
            this.text = text;
        }

        /** The PromQL spelling: the operator, or the function name. */
        public String text() {
            return text;
        }
    }

    @Override
    public ValueType type() {
        return ValueType.SCALAR;
    }

    /** This expression marked as written in parentheses. */
    public DurationExpr asWrapped() {
        return new DurationExpr(op, lhs, rhs, true, startPosition, endPosition);
    }

    @Override
    public PositionRange positionRange() {
        if (lhs == null && rhs == null) {
            return new PositionRange(startPosition, endPosition);
        }
        if (rhs == null) {
            return new PositionRange(startPosition, lhs.positionRange().end());
        }
        if (lhs == null) {
            return new PositionRange(startPosition, rhs.positionRange().end());
        }
        return PositionRange.span(lhs.positionRange(), rhs.positionRange());
    }

    @Override
    public String toString() {
        final StringBuilder out = new StringBuilder();
        if (wrapped) {
            out.append('(');
        }
        switch (op) {
            case STEP, RANGE -> out.append(op.text).append("()");
            case MIN_OF, MAX_OF -> out.append(op.text).append('(').append(lhs).append(", ").append(rhs).append(')');
            default -> {
                if (lhs == null) {
                    out.append(op == Op.SUB ? "-" : "").append(rhs);
                } else {
                    out.append(lhs).append(' ').append(op.text).append(' ').append(rhs);
                }
            }
        }
        if (wrapped) {
            out.append(')');
        }
        return out.toString();
    }
}
