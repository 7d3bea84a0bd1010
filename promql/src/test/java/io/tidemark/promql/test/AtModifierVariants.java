package io.tidemark.promql.test;

import io.tidemark.promql.ast.AggregateExpr;
import io.tidemark.promql.ast.AtModifier;
import io.tidemark.promql.ast.BinaryExpr;
import io.tidemark.promql.ast.Call;
import io.tidemark.promql.ast.Expr;
import io.tidemark.promql.ast.MatrixSelector;
import io.tidemark.promql.ast.ParenExpr;
import io.tidemark.promql.ast.SubqueryExpr;
import io.tidemark.promql.ast.UnaryExpr;
import io.tidemark.promql.ast.VectorSelector;
import io.tidemark.promql.parser.ParserOptions;
import io.tidemark.promql.parser.PromQlParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Prometheus' runner's {@code atModifierTestCases}: an instant eval is also run with {@code @ <eval time>} set on
 * every selector and outermost subquery that has none (selectors inside a subquery keep theirs), at other evaluation
 * times, and must give the same result. Queries with functions whose result depends on the evaluation time itself
 * get no variants.
 */
final class AtModifierVariants {
    /** Prometheus' {@code AtModifierUnsafeFunctions}. */
    private static final Set<String> UNSAFE = Set.of("days_in_month", "day_of_month", "day_of_week", "day_of_year",
        "end", "hour", "minute", "month", "year", "predict_linear", "range", "start", "step", "time", "timestamp");

    private AtModifierVariants() {
    }

    /** A variant query and the time to evaluate it at, in milliseconds. */
    record Variant(String expr, long time) {
    }

    /** The variants of {@code query} evaluated at {@code time}; none when it does not parse or is not @-safe. */
    static List<Variant> of(final String query, final long time) {
        final Expr expr;
        try {
            expr = PromQlParser.parse(query, ParserOptions.ALL_FEATURES);
        } catch (final RuntimeException unparsable) {
            return List.of();
        }
        final boolean[] unsafe = {false};
        final String rewritten = rewrite(expr, time, unsafe).toString();
        if (unsafe[0]) {
            return List.of();
        }
        final long[] times = time == 0 ? new long[] {-1000, 0, 1000}
            : new long[] {-10 * time, 0, time / 5, time, 10 * time};
        final List<Variant> out = new ArrayList<>();
        for (final long t : times) {
            out.add(new Variant(rewritten, t));
        }
        return out;
    }

    private static Expr rewrite(final Expr expr, final long time, final boolean[] unsafe) {
        return switch (expr) {
            case VectorSelector v -> v.at().isSet() ? v : v.withAt(AtModifier.at(time), v.positionRange().end());
            case MatrixSelector m -> new MatrixSelector((VectorSelector) rewrite(m.selector(), time, unsafe),
                m.range(), m.rangeExpression(), m.endPosition());
            // Prometheus neither sets timestamps nor looks for unsafe calls below a subquery.
            case SubqueryExpr s -> s.at().isSet() ? s : s.withAt(AtModifier.at(time), s.positionRange().end());
            case AggregateExpr a -> new AggregateExpr(a.op(), rewrite(a.expr(), time, unsafe),
                a.param() == null ? null : rewrite(a.param(), time, unsafe), a.grouping(), a.without(),
                a.positionRange());
            case BinaryExpr b -> new BinaryExpr(b.op(), rewrite(b.lhs(), time, unsafe), rewrite(b.rhs(), time, unsafe),
                b.matching(), b.returnBool());
            case Call c -> {
                unsafe[0] |= UNSAFE.contains(c.function().name());
                final List<Expr> args = new ArrayList<>();
                for (final Expr arg : c.args()) {
                    args.add(rewrite(arg, time, unsafe));
                }
                yield new Call(c.function(), args, c.positionRange());
            }
            case ParenExpr p -> new ParenExpr(rewrite(p.expr(), time, unsafe), p.positionRange());
            case UnaryExpr u -> new UnaryExpr(u.op(), rewrite(u.expr(), time, unsafe), u.startPosition());
            default -> expr;
        };
    }
}
