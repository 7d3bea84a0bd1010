package io.tidemark.promql.test;

import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.promql.ast.AggregateExpr;
import io.tidemark.promql.ast.BinaryExpr;
import io.tidemark.promql.ast.Call;
import io.tidemark.promql.ast.DurationExpr;
import io.tidemark.promql.ast.Expr;
import io.tidemark.promql.ast.MatrixSelector;
import io.tidemark.promql.ast.NumberLiteral;
import io.tidemark.promql.ast.ParenExpr;
import io.tidemark.promql.ast.StringLiteral;
import io.tidemark.promql.ast.SubqueryExpr;
import io.tidemark.promql.ast.UnaryExpr;
import io.tidemark.promql.ast.VectorSelector;
import io.tidemark.promql.eval.Labels;
import io.tidemark.promql.parser.ParserOptions;
import io.tidemark.promql.parser.PromQlParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The series of the current data set (since the last {@code clear}) that Tidemark could not load as Prometheus does:
 * native-histogram series ({@code {{...}}} samples, and the native histograms with custom buckets that
 * {@code load_with_nhcb} derives from classic histograms), and series with start timestamps ({@code @st}), whose
 * floats are loaded but whose start timestamps are not.
 *
 * <p>The skip rule is sound because a query reads series only through its selectors: an eval none of whose selectors
 * matches a dropped series sees exactly the data Prometheus sees, so its result can be compared; an eval with a
 * selector that matches one is skipped, so no case passes merely because histogram data was missing.
 */
final class DroppedSeries {
    static final String HISTOGRAMS = "selects native-histogram series (not loaded)";
    static final String START_TIMESTAMPS = "selects series with start timestamps (@st, not loaded)";

    private final Map<Labels, String> dropped = new LinkedHashMap<>();

    void clear() {
        dropped.clear();
    }

    void add(final Labels labels, final String reason) {
        dropped.putIfAbsent(labels, reason);
    }

    boolean isEmpty() {
        return dropped.isEmpty();
    }

    /**
     * The native histograms with custom buckets that Prometheus' runner appends for {@code load_with_nhcb}: one per
     * classic histogram, named without the {@code _bucket}/{@code _count}/{@code _sum} suffix and without {@code le}.
     */
    void addCustomBucketHistogramOf(final Labels classic) {
        final String name = classic.get(Labels.NAME);
        if (name == null) {
            return;
        }
        final String base;
        if (name.endsWith("_bucket")) {
            final String le = classic.get("le");
            if (le == null || Double.isNaN(parseLe(le))) {
                return;
            }
            base = name.substring(0, name.length() - "_bucket".length());
        } else if (name.endsWith("_count")) {
            base = name.substring(0, name.length() - "_count".length());
        } else if (name.endsWith("_sum")) {
            base = name.substring(0, name.length() - "_sum".length());
        } else {
            return;
        }
        add(classic.without(List.of("le")).with(Labels.NAME, base), HISTOGRAMS);
    }

    private static double parseLe(final String le) {
        try {
            return SeriesDescription.number(le);
        } catch (final NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** Why {@code query} cannot be compared on this data set, or null when none of its selectors reads a dropped series. */
    String reasonSelected(final String query) {
        if (dropped.isEmpty()) {
            return null;
        }
        final Expr expr;
        try {
            expr = PromQlParser.parse(query, ParserOptions.ALL_FEATURES);
        } catch (final RuntimeException unparsable) {
            return null;
        }
        final List<VectorSelector> selectors = new ArrayList<>();
        collect(expr, selectors);
        for (final VectorSelector selector : selectors) {
            for (final Map.Entry<Labels, String> e : dropped.entrySet()) {
                if (matches(selector.matchers(), e.getKey())) {
                    return e.getValue();
                }
            }
        }
        return null;
    }

    private static boolean matches(final List<LabelMatcher> matchers, final Labels labels) {
        for (final LabelMatcher m : matchers) {
            final String value = labels.get(m.name());
            if (!m.matches(value == null ? "" : value)) {
                return false;
            }
        }
        return true;
    }

    private static void collect(final Expr expr, final List<VectorSelector> out) {
        switch (expr) {
            case VectorSelector v -> out.add(v);
            case MatrixSelector m -> out.add(m.selector());
            case AggregateExpr a -> {
                collect(a.expr(), out);
                if (a.param() != null) {
                    collect(a.param(), out);
                }
            }
            case BinaryExpr b -> {
                collect(b.lhs(), out);
                collect(b.rhs(), out);
            }
            case Call c -> c.args().forEach(arg -> collect(arg, out));
            case ParenExpr p -> collect(p.expr(), out);
            case SubqueryExpr s -> collect(s.expr(), out);
            case UnaryExpr u -> collect(u.expr(), out);
            case DurationExpr d -> {
                if (d.lhs() != null) {
                    collect(d.lhs(), out);
                }
                if (d.rhs() != null) {
                    collect(d.rhs(), out);
                }
            }
            case NumberLiteral n -> {
            }
            case StringLiteral s -> {
            }
        }
    }
}
