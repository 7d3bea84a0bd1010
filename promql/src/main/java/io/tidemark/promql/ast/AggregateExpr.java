package io.tidemark.promql.ast;

import io.tidemark.index.matchers.PromQlQuoting;

import java.util.List;

/**
 * An aggregation, {@code op [by|without (grouping)] ([param,] expr)}. {@code param} is null unless
 * {@link AggregateOp#hasParam()}. With {@code without} false and an empty {@code grouping}, all series aggregate into
 * one.
 */
public record AggregateExpr(AggregateOp op, Expr expr, Expr param, List<String> grouping, boolean without,
                            PositionRange positionRange) implements Expr {

    /** Copies the grouping labels, which are immutable from here on. */
    public AggregateExpr {
        grouping = List.copyOf(grouping);
    }

    @Override
    public ValueType type() {
        return ValueType.VECTOR;
    }

    @Override
    public String toString() {
        final StringBuilder out = new StringBuilder(op.keyword());
        if (without) {
            out.append(" without (");
            appendLabels(out, grouping);
            out.append(") ");
        } else if (!grouping.isEmpty()) {
            out.append(" by (");
            appendLabels(out, grouping);
            out.append(") ");
        }
        out.append('(');
        if (param != null) {
            out.append(param).append(", ");
        }
        return out.append(expr).append(')').toString();
    }

    /** Label names separated by ", ", quoted unless legacy names, as Prometheus prints grouping lists. */
    static void appendLabels(final StringBuilder out, final List<String> labels) {
        for (int i = 0; i < labels.size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            if (PromQlQuoting.isLegacyName(labels.get(i))) {
                out.append(labels.get(i));
            } else {
                PromQlQuoting.appendQuoted(out, labels.get(i));
            }
        }
    }
}
