package io.tidemark.promql.eval;

import io.tidemark.engine.query.Queryable;
import io.tidemark.promql.ast.Expr;
import io.tidemark.promql.ast.ValueType;
import io.tidemark.promql.parser.PromQlParser;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs PromQL queries over a {@link Queryable}: instant queries at one time, range queries at every step from start
 * to end. Stateless apart from its options, thread-safe; each query allocates its own working memory (per query and
 * per series, not per sample on the common paths).
 *
 * <p>Semantics are Prometheus 3's: left-open range windows {@code (t - range, t]}, a lookback window
 * {@code (t - lookbackDelta, t]} for instant selectors, stale markers ending a series, delayed removal of the metric
 * name. In {@code PROMETHEUS2} compatibility mode the Prometheus 2.x rules that differ apply: both windows are closed,
 * {@code atan2} keeps the metric name, rate/increase cap by the duration to zero before the 1.1-interval test, and
 * topk/bottomk run 2.x's heap.
 */
public final class PromQlEngine {
    private final EngineOptions options;

    /** An engine with these settings. */
    public PromQlEngine(final EngineOptions options) {
        this.options = options;
    }

    /** The settings. */
    public EngineOptions options() {
        return options;
    }

    /** Evaluates {@code query} at {@code timeMillis}. Throws the parser's exception or {@link QueryException}. */
    public QueryResult instantQuery(final Queryable data, final String query, final long timeMillis) {
        return instantQuery(data, query, timeMillis, null);
    }

    /** As {@link #instantQuery(Queryable, String, long)}, cancellable through {@code handle}. */
    public QueryResult instantQuery(final Queryable data, final String query, final long timeMillis,
                                    final QueryHandle handle) {
        return instantQuery(data, query, timeMillis, handle, null);
    }

    /**
     * As {@link #instantQuery(Queryable, String, long, QueryHandle)}, adding the query's warnings and infos to
     * {@code annotations} (none collected when null).
     */
    public QueryResult instantQuery(final Queryable data, final String query, final long timeMillis,
                                    final QueryHandle handle, final Annotations annotations) {
        final Expr expr = PromQlParser.parse(query, options.parser());
        final QueryContext ctx = new QueryContext(data, options, timeMillis, timeMillis, handle, query, annotations);
        final Evaluator ev = new Evaluator(ctx, timeMillis, timeMillis, 1);
        final Value value = ev.eval(expr);
        return switch (value) {
            case Value.Scalar s -> new QueryResult.Scalar(timeMillis, s.values()[0]);
            case Value.Str s -> new QueryResult.Str(timeMillis, s.value());
            case Value.Vector v -> {
                final List<QueryResult.Sample> samples = new ArrayList<>();
                final java.util.Set<Labels> seen = new java.util.HashSet<>();
                for (final StepSeries s : v.series()) {
                    if (!s.present[0]) {
                        continue;
                    }
                    final Labels labels = s.dropName ? s.labels.withoutMetadata() : s.labels;
                    if (!seen.add(labels)) {
                        throw QueryException.execution("vector cannot contain metrics with the same labelset");
                    }
                    samples.add(new QueryResult.Sample(labels, timeMillis, s.values[0]));
                }
                yield new QueryResult.Vector(samples);
            }
            case Value.Matrix m -> {
                final List<QueryResult.Series> series = new ArrayList<>();
                for (final RangeSeries s : m.series()) {
                    series.add(new QueryResult.Series(s.dropName ? s.labels.withoutMetadata() : s.labels,
                        java.util.Arrays.copyOf(s.timestamps, s.size), java.util.Arrays.copyOf(s.values, s.size)));
                }
                series.sort((a, b) -> a.labels().compareTo(b.labels()));
                yield new QueryResult.Matrix(series);
            }
        };
    }

    /** Evaluates {@code query} at {@code start}, {@code start + step}, ... up to {@code end} (milliseconds). */
    public QueryResult rangeQuery(final Queryable data, final String query, final long start, final long end,
                                  final long step) {
        return rangeQuery(data, query, start, end, step, null);
    }

    /** As {@link #rangeQuery(Queryable, String, long, long, long)}, cancellable through {@code handle}. */
    public QueryResult rangeQuery(final Queryable data, final String query, final long start, final long end,
                                  final long step, final QueryHandle handle) {
        return rangeQuery(data, query, start, end, step, handle, null);
    }

    /**
     * As {@link #rangeQuery(Queryable, String, long, long, long, QueryHandle)}, adding the query's warnings and infos
     * to {@code annotations} (none collected when null).
     */
    public QueryResult rangeQuery(final Queryable data, final String query, final long start, final long end,
                                  final long step, final QueryHandle handle, final Annotations annotations) {
        if (step <= 0) {
            throw new QueryException(QueryException.Kind.BAD_DATA,
                "zero or negative query resolution step widths are not accepted. Try a positive integer");
        }
        if (end < start) {
            throw new QueryException(QueryException.Kind.BAD_DATA, "end timestamp must not be before start time");
        }
        final Expr expr = PromQlParser.parse(query, options.parser());
        if (expr.type() != ValueType.VECTOR && expr.type() != ValueType.SCALAR) {
            throw new QueryException(QueryException.Kind.BAD_DATA, "invalid expression type \""
                + (expr.type() == ValueType.MATRIX ? "range vector" : expr.type() == ValueType.STRING ? "string"
                : expr.type().toString().toLowerCase(java.util.Locale.ROOT))
                + "\" for range query, must be Scalar or instant Vector");
        }
        final QueryContext ctx = new QueryContext(data, options, start, end, handle, query, annotations);
        final Evaluator ev = new Evaluator(ctx, start, end, step);
        final Value value = ev.eval(expr);
        final List<StepSeries> series;
        if (value instanceof Value.Scalar s) {
            final StepSeries only = new StepSeries(Labels.EMPTY, ev.steps, false);
            for (int i = 0; i < ev.steps; i++) {
                only.set(i, s.values()[i]);
            }
            series = List.of(only);
        } else {
            series = ((Value.Vector) value).series();
        }
        // Series whose labels clash once the metric name is dropped merge, as in Prometheus 3's
        // mergeSeriesWithSameLabelset, unless two of them have a sample at the same step.
        final Map<Labels, StepSeries> merged = new LinkedHashMap<>();
        for (final StepSeries s : series) {
            final Labels labels = s.dropName ? s.labels.withoutMetadata() : s.labels;
            final StepSeries first = merged.putIfAbsent(labels, s);
            if (first != null) {
                for (int i = 0; i < ev.steps; i++) {
                    if (s.present[i]) {
                        if (first.present[i]) {
                            throw QueryException.execution("vector cannot contain metrics with the same labelset");
                        }
                        first.set(i, s.values[i]);
                    }
                }
            }
        }
        final List<QueryResult.Series> out = new ArrayList<>();
        for (final Map.Entry<Labels, StepSeries> e : merged.entrySet()) {
            final StepSeries s = e.getValue();
            final int n = s.count();
            if (n == 0) {
                continue;
            }
            final long[] ts = new long[n];
            final double[] vs = new double[n];
            int k = 0;
            for (int i = 0; i < ev.steps; i++) {
                if (s.present[i]) {
                    ts[k] = ev.time(i);
                    vs[k] = s.values[i];
                    k++;
                }
            }
            out.add(new QueryResult.Series(e.getKey(), ts, vs));
        }
        out.sort((a, b) -> a.labels().compareTo(b.labels()));
        return new QueryResult.Matrix(out);
    }
}
