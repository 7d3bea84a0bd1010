package io.tidemark.promql.ast;

/** An expression in parentheses; kept in the tree so that printing gives the parentheses back. */
public record ParenExpr(Expr expr, PositionRange positionRange) implements Expr {
    @Override
    public ValueType type() {
        return expr.type();
    }

    @Override
    public String toString() {
        return "(" + expr + ")";
    }
}
