package io.tidemark.promql.ast;

/**
 * A binary operation, {@code lhs op [bool] [matching] rhs}. {@code matching} is non-null exactly when both operands
 * are instant vectors (after type checking, as in Prometheus; set operators always match many-to-many).
 * {@code returnBool} is the {@code bool} modifier of comparisons.
 */
public record BinaryExpr(BinaryOp op, Expr lhs, Expr rhs, VectorMatching matching, boolean returnBool)
    implements Expr {

    @Override
    public ValueType type() {
        return lhs.type() == ValueType.SCALAR && rhs.type() == ValueType.SCALAR ? ValueType.SCALAR : ValueType.VECTOR;
    }

    @Override
    public PositionRange positionRange() {
        return PositionRange.span(lhs.positionRange(), rhs.positionRange());
    }

    @Override
    public String toString() {
        return lhs + " " + op.text() + (returnBool ? " bool" : "") + (matching == null ? "" : matching.toString())
            + " " + rhs;
    }
}
