package io.tidemark.promql.eval;

import io.tidemark.engine.query.SampleBuffer;
import io.tidemark.engine.query.SeriesSet;
import io.tidemark.promql.ast.AggregateExpr;
import io.tidemark.promql.ast.AtModifier;
import io.tidemark.promql.ast.BinaryExpr;
import io.tidemark.promql.ast.Call;
import io.tidemark.promql.ast.DurationExpr;
import io.tidemark.promql.ast.Expr;
import io.tidemark.promql.ast.MatrixSelector;
import io.tidemark.promql.ast.NumberLiteral;
import io.tidemark.promql.ast.Offset;
import io.tidemark.promql.ast.ParenExpr;
import io.tidemark.promql.ast.StringLiteral;
import io.tidemark.promql.ast.SubqueryExpr;
import io.tidemark.promql.ast.UnaryExpr;
import io.tidemark.promql.ast.VectorSelector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Evaluates expressions at the steps {@code start, start + interval, ..., end} (one step for an instant query).
 * Subqueries run in a child evaluator with their own steps. Selectors read through the query's
 * {@link io.tidemark.engine.query.Queryable}.
 */
final class Evaluator {
    /** Prometheus' stale marker, a NaN with this exact bit pattern. */
    static final long STALE_NAN_BITS = 0x7ff0000000000002L;

    final QueryContext ctx;
    final long start;
    final long end;
    final long interval;
    final int steps;

    Evaluator(final QueryContext ctx, final long start, final long end, final long interval) {
        this.ctx = ctx;
        this.start = start;
        this.end = end;
        this.interval = interval;
        this.steps = end < start ? 0 : (int) ((end - start) / interval) + 1;
    }

    static boolean isStale(final double value) {
        return Double.doubleToRawLongBits(value) == STALE_NAN_BITS;
    }

    long time(final int step) {
        return start + step * interval;
    }

    boolean closed() {
        return ctx.options.closedWindows();
    }

    /** True in {@code PROMETHEUS2} compatibility mode (see {@link EngineOptions#prometheus2()}). */
    boolean prometheus2() {
        return ctx.options.prometheus2();
    }

    Value eval(final Expr expr) {
        ctx.check();
        return switch (expr) {
            case NumberLiteral n -> scalar(n.value());
            case StringLiteral s -> new Value.Str(s.value());
            case ParenExpr p -> eval(p.expr());
            case UnaryExpr u -> unary(u);
            case VectorSelector vs -> selectVector(vs, false);
            case MatrixSelector ms -> rangeAsMatrix(loadRange(ms));
            case SubqueryExpr sq -> rangeAsMatrix(loadRange(sq));
            case BinaryExpr b -> BinaryOperators.eval(this, b);
            case AggregateExpr a -> Aggregations.eval(this, a);
            case Call c -> Functions.eval(this, c);
            case DurationExpr d -> scalar(durationSeconds(d));
        };
    }

    Value.Scalar scalar(final double value) {
        final double[] values = new double[steps];
        Arrays.fill(values, value);
        return new Value.Scalar(values);
    }

    /** Evaluates an argument that must be a scalar. */
    double[] evalScalar(final Expr expr) {
        return ((Value.Scalar) eval(expr)).values();
    }

    /** Evaluates an argument that must be an instant vector. */
    List<StepSeries> evalVector(final Expr expr) {
        return ((Value.Vector) eval(expr)).series();
    }

    private Value unary(final UnaryExpr u) {
        final Value inner = eval(u.expr());
        if (u.op() == UnaryExpr.Op.PLUS) {
            return inner;
        }
        if (inner instanceof Value.Scalar s) {
            final double[] out = new double[steps];
            for (int i = 0; i < steps; i++) {
                out[i] = -s.values()[i];
            }
            return new Value.Scalar(out);
        }
        final List<StepSeries> series = ((Value.Vector) inner).series();
        for (final StepSeries s : series) {
            final double[] v = s.values;
            for (int i = 0; i < v.length; i++) {
                v[i] = -v[i];
            }
            s.dropName = true;
        }
        return inner;
    }

    // ---- time modifiers ----

    long offsetMillis(final Offset offset) {
        if (offset.expression() != null) {
            return Math.round(durationSeconds(offset.expression()) * 1000);
        }
        return offset.duration().toMillis();
    }

    long atMillis(final AtModifier at) {
        return switch (at.kind()) {
            case TIMESTAMP -> at.timestampMillis();
            case START -> ctx.queryStart;
            case END -> ctx.queryEnd;
            case NONE -> throw new IllegalStateException("no @ modifier");
        };
    }

    /** The reference time of each step: the step's time, or the {@code @} time, minus the offset. */
    long[] referenceTimes(final AtModifier at, final long offset) {
        final long[] refs = new long[steps];
        for (int i = 0; i < steps; i++) {
            refs[i] = (at.isSet() ? atMillis(at) : time(i)) - offset;
        }
        return refs;
    }

    double durationSeconds(final Expr expr) {
        return switch (expr) {
            case NumberLiteral n -> n.value();
            case ParenExpr p -> durationSeconds(p.expr());
            case DurationExpr d -> switch (d.op()) {
                case STEP -> interval == 1 && start == end ? 0 : interval / 1000.0;
                case RANGE -> (ctx.queryEnd - ctx.queryStart) / 1000.0;
                case MIN_OF -> Math.min(durationSeconds(d.lhs()), durationSeconds(d.rhs()));
                case MAX_OF -> Math.max(durationSeconds(d.lhs()), durationSeconds(d.rhs()));
                case ADD -> d.lhs() == null ? durationSeconds(d.rhs())
                    : durationSeconds(d.lhs()) + durationSeconds(d.rhs());
                case SUB -> d.lhs() == null ? -durationSeconds(d.rhs())
                    : durationSeconds(d.lhs()) - durationSeconds(d.rhs());
                case MUL -> durationSeconds(d.lhs()) * durationSeconds(d.rhs());
                case DIV -> durationSeconds(d.lhs()) / durationSeconds(d.rhs());
                case MOD -> durationSeconds(d.lhs()) % durationSeconds(d.rhs());
                case POW -> Math.pow(durationSeconds(d.lhs()), durationSeconds(d.rhs()));
            };
            case UnaryExpr u -> u.op() == UnaryExpr.Op.MINUS ? -durationSeconds(u.expr()) : durationSeconds(u.expr());
            default -> throw QueryException.execution("unsupported duration expression " + expr);
        };
    }

    private long rangeMillis(final Duration range, final DurationExpr expression) {
        if (expression != null) {
            return Math.round(durationSeconds(expression) * 1000);
        }
        return range.toMillis();
    }

    // ---- selectors ----

    /**
     * An instant selector: per step, the newest sample in the lookback window before the reference time, unless it
     * is a stale marker. With {@code timestamps}, the sample's time in seconds instead of its value.
     */
    Value.Vector selectVector(final VectorSelector vs, final boolean timestamps) {
        final long[] refs = referenceTimes(vs.at(), offsetMillis(vs.offset()));
        final long lookback = ctx.options.lookbackDelta().toMillis();
        final boolean closed = closed();
        final List<StepSeries> out = new ArrayList<>();
        if (steps == 0) {
            return new Value.Vector(out);
        }
        final SeriesSet set = ctx.data.select(vs.matchers(), refs[0] - lookback, refs[steps - 1]);
        final SampleBuffer buffer = ctx.buffer;
        while (set.next()) {
            ctx.check();
            final int n = set.samples(buffer);
            if (n == 0) {
                continue;
            }
            final long[] ts = buffer.timestamps();
            final double[] vals = buffer.values();
            final StepSeries series = new StepSeries(Labels.of(set.labels()), steps, false);
            int j = 0;
            int found = 0;
            for (int i = 0; i < steps; i++) {
                final long ref = refs[i];
                while (j < n && ts[j] <= ref) {
                    j++;
                }
                final int idx = j - 1;
                if (idx < 0) {
                    continue;
                }
                final long t = ts[idx];
                if ((closed ? t >= ref - lookback : t > ref - lookback) && !isStale(vals[idx])) {
                    series.set(i, timestamps ? t / 1000.0 : vals[idx]);
                    found++;
                }
            }
            if (found > 0) {
                ctx.hold(found);
                out.add(series);
            }
        }
        return new Value.Vector(out);
    }

    /** A range vector argument: per series its samples, and per step the window's reference time. */
    static final class RangeInput {
        final List<RangeSeries> series;
        final long range;
        final long[] refs;

        RangeInput(final List<RangeSeries> series, final long range, final long[] refs) {
            this.series = series;
            this.range = range;
            this.refs = refs;
        }
    }

    RangeInput loadRange(final Expr expr) {
        return switch (expr) {
            case MatrixSelector ms -> loadMatrixSelector(ms);
            case SubqueryExpr sq -> loadSubquery(sq);
            case ParenExpr p -> loadRange(p.expr());
            default -> throw QueryException.execution("expected a range vector, got " + expr);
        };
    }

    /**
     * A matrix selector opened for reading: the series set (null when there are no steps), the range and each
     * step's reference time. Samples outside a window are dropped by {@link #keepRangeSamples}.
     */
    static final class OpenRange {
        final SeriesSet set;
        final long range;
        final long[] refs;

        OpenRange(final SeriesSet set, final long range, final long[] refs) {
            this.set = set;
            this.range = range;
            this.refs = refs;
        }
    }

    OpenRange openMatrixSelector(final MatrixSelector ms) {
        final VectorSelector vs = ms.selector();
        final long range = rangeMillis(ms.range(), ms.rangeExpression());
        final long[] refs = referenceTimes(vs.at(), offsetMillis(vs.offset()));
        if (steps == 0) {
            return new OpenRange(null, range, refs);
        }
        return new OpenRange(ctx.data.select(vs.matchers(), refs[0] - range, refs[steps - 1]), range, refs);
    }

    /**
     * Copies the samples {@code ts[i], vals[i]} ({@code i < n}) a range vector keeps into {@code keptTs} and
     * {@code keptVals} (room for {@code n}): not stale markers, and after {@code from} unless {@code closed}. Returns
     * how many.
     */
    static int keepRangeSamples(final long[] ts, final double[] vals, final int n, final long from,
                                final boolean closed, final long[] keptTs, final double[] keptVals) {
        int kept = 0;
        for (int i = 0; i < n; i++) {
            if (!isStale(vals[i]) && (closed || ts[i] > from)) {
                keptTs[kept] = ts[i];
                keptVals[kept] = vals[i];
                kept++;
            }
        }
        return kept;
    }

    private RangeInput loadMatrixSelector(final MatrixSelector ms) {
        final OpenRange open = openMatrixSelector(ms);
        final List<RangeSeries> out = new ArrayList<>();
        if (open.set == null) {
            return new RangeInput(out, open.range, open.refs);
        }
        final SeriesSet set = open.set;
        final SampleBuffer buffer = ctx.buffer;
        final long from = open.refs[0] - open.range;
        final boolean closed = closed();
        while (set.next()) {
            ctx.check();
            final int n = set.samples(buffer);
            final long[] keptTs = new long[n];
            final double[] keptVals = new double[n];
            final int kept = keepRangeSamples(buffer.timestamps(), buffer.values(), n, from, closed, keptTs, keptVals);
            if (kept > 0) {
                ctx.hold(kept);
                out.add(new RangeSeries(Labels.of(set.labels()), keptTs, keptVals, kept, false));
            }
        }
        return new RangeInput(out, open.range, open.refs);
    }

    private RangeInput loadSubquery(final SubqueryExpr sq) {
        final long offset = offsetMillis(sq.offset());
        final long range = rangeMillis(sq.range(), sq.rangeExpression());
        long stepMillis = sq.stepExpression() != null ? Math.round(durationSeconds(sq.stepExpression()) * 1000)
            : sq.step().toMillis();
        if (stepMillis <= 0) {
            stepMillis = ctx.options.noStepSubqueryInterval().toMillis();
        }
        final long parentStart = sq.at().isSet() ? atMillis(sq.at()) : start;
        final long parentEnd = sq.at().isSet() ? atMillis(sq.at()) : end;
        final long subEnd = parentEnd - offset;
        final long lowest = parentStart - offset - range;
        long subStart = stepMillis * Math.floorDiv(lowest, stepMillis);
        if (closed() ? subStart < lowest : subStart <= lowest) {
            subStart += stepMillis;
        }
        final Evaluator child = new Evaluator(ctx, subStart, subEnd, stepMillis);
        final Value inner = child.eval(sq.expr());
        final List<StepSeries> innerSeries;
        if (inner instanceof Value.Scalar s) {
            final StepSeries only = new StepSeries(Labels.EMPTY, child.steps, false);
            for (int i = 0; i < child.steps; i++) {
                only.set(i, s.values()[i]);
            }
            innerSeries = List.of(only);
        } else {
            innerSeries = ((Value.Vector) inner).series();
        }
        final List<RangeSeries> out = new ArrayList<>(innerSeries.size());
        for (final StepSeries s : innerSeries) {
            final int n = s.count();
            if (n == 0) {
                continue;
            }
            final long[] ts = new long[n];
            final double[] vals = new double[n];
            int k = 0;
            for (int i = 0; i < child.steps; i++) {
                if (s.present[i]) {
                    ts[k] = child.time(i);
                    vals[k] = s.values[i];
                    k++;
                }
            }
            out.add(new RangeSeries(s.labels, ts, vals, n, s.dropName));
        }
        out.sort((a, b) -> a.labels.compareTo(b.labels));
        return new RangeInput(out, range, referenceTimes(sq.at(), offset));
    }

    /** The range vector at the only step of an instant evaluation, as a matrix result. */
    private Value rangeAsMatrix(final RangeInput input) {
        if (steps != 1) {
            throw QueryException.execution("cannot do range evaluation of a range vector");
        }
        final long ref = input.refs[0];
        final boolean closed = closed();
        final List<RangeSeries> out = new ArrayList<>();
        for (final RangeSeries s : input.series) {
            int lo = 0;
            while (lo < s.size && (closed ? s.timestamps[lo] < ref - input.range
                : s.timestamps[lo] <= ref - input.range)) {
                lo++;
            }
            int hi = lo;
            while (hi < s.size && s.timestamps[hi] <= ref) {
                hi++;
            }
            if (hi > lo) {
                out.add(new RangeSeries(s.labels, Arrays.copyOfRange(s.timestamps, lo, hi),
                    Arrays.copyOfRange(s.values, lo, hi), hi - lo, s.dropName));
            }
        }
        return new Value.Matrix(out);
    }
}
