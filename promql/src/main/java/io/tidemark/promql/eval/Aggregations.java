package io.tidemark.promql.eval;

import io.tidemark.promql.ast.AggregateExpr;
import io.tidemark.promql.ast.AggregateOp;
import io.tidemark.promql.ast.Expr;
import io.tidemark.promql.ast.PromQlFormat;
import io.tidemark.promql.ast.StringLiteral;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Aggregation operators. Series are assigned to groups once; each step then folds the present members of each group
 * with Prometheus' arithmetic (Kahan-compensated sums, incremental mean on overflow, Welford variance).
 */
final class Aggregations {
    private Aggregations() {
    }

    static Value eval(final Evaluator ev, final AggregateExpr e) {
        final AggregateOp op = e.op();
        double[] param = null;
        String valueLabel = null;
        if (op == AggregateOp.COUNT_VALUES) {
            valueLabel = ((StringLiteral) Functions.unwrap(e.param())).value();
            if (!Labels.isValidName(valueLabel)) {
                throw QueryException.execution("invalid label name \"" + valueLabel + "\"");
            }
        } else if (e.param() != null) {
            param = ev.evalScalar(e.param());
        }
        final List<StepSeries> input = ev.evalVector(e.expr());
        if (op == AggregateOp.QUANTILE) {
            warnQuantileParameter(ev, param, e.param());
        }
        if (param != null && !acceptsParameter(ev, op, param, e.param())) {
            return new Value.Vector(List.of());
        }
        final List<String> grouping = e.grouping();
        final Map<Labels, Integer> groupIndex = new LinkedHashMap<>();
        final int[] groupOf = new int[input.size()];
        for (int s = 0; s < input.size(); s++) {
            final Labels key = groupLabels(input.get(s).labels, grouping, e.without());
            Integer g = groupIndex.get(key);
            if (g == null) {
                g = groupIndex.size();
                groupIndex.put(key, g);
            }
            groupOf[s] = g;
        }
        final Labels[] groupLabels = groupIndex.keySet().toArray(new Labels[0]);
        return switch (op) {
            case TOPK, BOTTOMK, LIMITK, LIMIT_RATIO -> SeriesSelection.eval(ev, op, param, input, groupOf, groupLabels.length);
            case COUNT_VALUES -> countValues(ev, input, grouping, e.without(), valueLabel);
            default -> fold(ev, op, param, input, groupOf, groupLabels);
        };
    }

    /**
     * Prometheus' checks of the {@code k} or ratio parameter over all steps, before any series is looked at: false
     * when no step can select anything (every {@code k < 1}, every ratio 0), an error for NaN or a {@code k} beyond
     * int64. The maximum and minimum propagate NaN as Go's {@code math.Max} does.
     */
    private static boolean acceptsParameter(final Evaluator ev, final AggregateOp op, final double[] param,
                                            final Expr paramExpr) {
        if (op != AggregateOp.TOPK && op != AggregateOp.BOTTOMK && op != AggregateOp.LIMITK
            && op != AggregateOp.LIMIT_RATIO) {
            return true;
        }
        double max = -Double.MAX_VALUE;
        double min = Double.MAX_VALUE;
        boolean nan = false;
        for (final double p : param) {
            max = Math.max(max, p);
            min = Math.min(min, p);
            nan |= Double.isNaN(p);
        }
        if (op == AggregateOp.LIMIT_RATIO) {
            if (max == 0 && min == 0) {
                return false;
            }
            if (nan) {
                throw QueryException.execution("Ratio value is NaN");
            }
            if (max > 1) {
                ev.ctx.warn("ratio value should be between -1 and 1, got " + PromQlFormat.shortestFloat(max)
                    + ", capping to 1", paramExpr);
            }
            if (min < -1) {
                ev.ctx.warn("ratio value should be between -1 and 1, got " + PromQlFormat.shortestFloat(min)
                    + ", capping to -1", paramExpr);
            }
            return true;
        }
        if (max < 1) {
            return false;
        }
        if (nan) {
            throw QueryException.execution("Parameter value is NaN");
        }
        if (min <= Long.MIN_VALUE) {
            throw QueryException.execution("Scalar value " + PromQlFormat.shortestFloat(min) + " underflows int64");
        }
        if (max >= Long.MAX_VALUE) {
            throw QueryException.execution("Scalar value " + PromQlFormat.shortestFloat(max) + " overflows int64");
        }
        return true;
    }

    /**
     * Prometheus' warnings for the quantile parameter over all steps: one for any NaN, one for the maximum above 1,
     * one for the minimum below 0 (maximum and minimum propagate NaN as Go's {@code math.Max} does).
     */
    private static void warnQuantileParameter(final Evaluator ev, final double[] param, final Expr paramExpr) {
        double max = -Double.MAX_VALUE;
        double min = Double.MAX_VALUE;
        boolean nan = false;
        for (final double p : param) {
            max = Math.max(max, p);
            min = Math.min(min, p);
            nan |= Double.isNaN(p);
        }
        if (param.length == 0) {
            return;
        }
        if (nan) {
            ev.ctx.warn("quantile value should be between 0 and 1, got NaN", paramExpr);
        }
        if (max > 1) {
            ev.ctx.warn("quantile value should be between 0 and 1, got " + PromQlFormat.shortestFloat(max), paramExpr);
        }
        if (min < 0) {
            ev.ctx.warn("quantile value should be between 0 and 1, got " + PromQlFormat.shortestFloat(min), paramExpr);
        }
    }

    static Labels groupLabels(final Labels labels, final List<String> grouping, final boolean without) {
        if (without) {
            final List<String> drop = new ArrayList<>(grouping);
            drop.add(Labels.NAME);
            return labels.without(drop);
        }
        return grouping.isEmpty() ? Labels.EMPTY : labels.keep(grouping);
    }

    private static Value fold(final Evaluator ev, final AggregateOp op, final double[] param,
                              final List<StepSeries> input, final int[] groupOf, final Labels[] groupLabels) {
        final int groups = groupLabels.length;
        final int steps = ev.steps;
        final StepSeries[] out = new StepSeries[groups];
        for (int g = 0; g < groups; g++) {
            out[g] = new StepSeries(groupLabels[g], steps, false);
        }
        for (int s = 0; s < input.size(); s++) {
            if (input.get(s).dropName) {
                out[groupOf[s]].dropName = true;
            }
        }
        final double[] value = new double[groups];
        final double[] compensation = new double[groups];
        final double[] mean = new double[groups];
        final double[] count = new double[groups];
        final boolean[] incremental = new boolean[groups];
        final boolean[] seen = new boolean[groups];
        final double[][] quantileValues = op == AggregateOp.QUANTILE ? new double[groups][] : null;
        final int[] quantileCount = op == AggregateOp.QUANTILE ? new int[groups] : null;
        for (int i = 0; i < steps; i++) {
            ev.ctx.check();
            Arrays.fill(seen, false);
            for (int s = 0; s < input.size(); s++) {
                final StepSeries series = input.get(s);
                if (!series.present[i]) {
                    continue;
                }
                final double f = series.values[i];
                final int g = groupOf[s];
                if (!seen[g]) {
                    seen[g] = true;
                    value[g] = f;
                    mean[g] = f;
                    count[g] = 1;
                    compensation[g] = 0;
                    incremental[g] = false;
                    switch (op) {
                        case STDDEV, STDVAR -> value[g] = Double.isNaN(f) || Double.isInfinite(f) ? Double.NaN : 0;
                        case GROUP -> value[g] = 1;
                        case QUANTILE -> {
                            if (quantileValues[g] == null) {
                                quantileValues[g] = new double[8];
                            }
                            quantileValues[g][0] = f;
                            quantileCount[g] = 1;
                        }
                        default -> {
                        }
                    }
                    continue;
                }
                switch (op) {
                    case SUM -> {
                        kahanInc(f, value, compensation, g);
                    }
                    case AVG -> {
                        count[g]++;
                        if (!incremental[g]) {
                            final double before = value[g];
                            final double beforeC = compensation[g];
                            kahanInc(f, value, compensation, g);
                            if (!Double.isInfinite(value[g])) {
                                break;
                            }
                            value[g] = before;
                            compensation[g] = beforeC;
                            incremental[g] = true;
                            mean[g] = value[g] / (count[g] - 1);
                            compensation[g] /= count[g] - 1;
                        }
                        final double q = (count[g] - 1) / count[g];
                        value[g] = q * mean[g];
                        compensation[g] = q * compensation[g];
                        kahanInc(f / count[g], value, compensation, g);
                        mean[g] = value[g];
                    }
                    case MAX -> {
                        if (value[g] < f || Double.isNaN(value[g])) {
                            value[g] = f;
                        }
                    }
                    case MIN -> {
                        if (value[g] > f || Double.isNaN(value[g])) {
                            value[g] = f;
                        }
                    }
                    case COUNT -> count[g]++;
                    case STDDEV, STDVAR -> {
                        if (!Double.isNaN(f) && !Double.isInfinite(f)) {
                            count[g]++;
                            final double delta = f - mean[g];
                            mean[g] += delta / count[g];
                            value[g] += delta * (f - mean[g]);
                        } else {
                            value[g] = Double.NaN;
                        }
                    }
                    case QUANTILE -> {
                        if (quantileCount[g] == quantileValues[g].length) {
                            quantileValues[g] = Arrays.copyOf(quantileValues[g], quantileCount[g] * 2);
                        }
                        quantileValues[g][quantileCount[g]++] = f;
                    }
                    default -> {
                    }
                }
            }
            for (int g = 0; g < groups; g++) {
                if (!seen[g]) {
                    continue;
                }
                final double result = switch (op) {
                    case AVG -> incremental[g] ? mean[g] + compensation[g]
                        : value[g] / count[g] + compensation[g] / count[g];
                    case COUNT -> count[g];
                    case STDVAR -> value[g] / count[g];
                    case STDDEV -> Math.sqrt(value[g] / count[g]);
                    case QUANTILE -> Quantiles.quantile(param[i], quantileValues[g], quantileCount[g]);
                    case SUM -> value[g] + compensation[g];
                    default -> value[g];
                };
                out[g].set(i, result);
            }
        }
        final List<StepSeries> result = new ArrayList<>(groups);
        for (final StepSeries s : out) {
            if (!s.isEmpty()) {
                ev.ctx.hold(s.count());
                result.add(s);
            }
        }
        return new Value.Vector(result);
    }

    /** Neumaier-compensated addition of {@code inc} to {@code sum[g]}, as Prometheus' {@code kahansum.Inc}. */
    static void kahanInc(final double inc, final double[] sum, final double[] c, final int g) {
        final double t = sum[g] + inc;
        if (Double.isInfinite(t)) {
            c[g] = 0;
        } else if (Math.abs(sum[g]) >= Math.abs(inc)) {
            c[g] += (sum[g] - t) + inc;
        } else {
            c[g] += (inc - t) + sum[g];
        }
        sum[g] = t;
    }

    /**
     * {@code count_values}: an output series per group and distinct value. The group part of each input series'
     * output labels is computed once per query; each step then finds the output through a primitive map from the
     * value's bits, so only a value not seen before in its group allocates (its label set and output series).
     */
    private static Value countValues(final Evaluator ev, final List<StepSeries> input, final List<String> grouping,
                                     final boolean without, final String valueLabel) {
        // Prometheus groups labels-with-the-value by (grouping, valueLabel), or without (grouping, __name__): the
        // value label survives unless "without" names it, so the output is the group labels (minus any old value
        // label) plus the value.
        final boolean valueKept = !without || !(grouping.contains(valueLabel) || valueLabel.equals(Labels.NAME));
        final List<String> dropValue = List.of(valueLabel);
        final Map<Labels, Integer> baseIndex = new HashMap<>();
        final List<Labels> bases = new ArrayList<>();
        final int[] baseOf = new int[input.size()];
        for (int s = 0; s < input.size(); s++) {
            Labels base = groupLabels(input.get(s).labels, grouping, without);
            if (valueKept) {
                base = base.without(dropValue);
            }
            Integer b = baseIndex.get(base);
            if (b == null) {
                b = bases.size();
                bases.add(base);
                baseIndex.put(base, b);
            }
            baseOf[s] = b;
        }
        final LongIntHashMap[] outputOf = new LongIntHashMap[bases.size()];
        final List<StepSeries> out = new ArrayList<>();
        final int steps = ev.steps;
        for (int i = 0; i < steps; i++) {
            ev.ctx.check();
            for (int s = 0; s < input.size(); s++) {
                final StepSeries series = input.get(s);
                if (!series.present[i]) {
                    continue;
                }
                final double v = series.values[i];
                // Every NaN prints as "NaN"; any other two distinct doubles print differently.
                final long key = !valueKept ? 0 : Double.isNaN(v) ? Double.doubleToLongBits(Double.NaN)
                    : Double.doubleToRawLongBits(v);
                final int b = baseOf[s];
                if (outputOf[b] == null) {
                    outputOf[b] = new LongIntHashMap(4);
                }
                int target = outputOf[b].get(key);
                if (target == LongIntHashMap.MISSING) {
                    target = out.size();
                    final Labels labels = valueKept ? bases.get(b).with(valueLabel, formatValue(v)) : bases.get(b);
                    out.add(new StepSeries(labels, steps, false));
                    outputOf[b].put(key, target);
                }
                final StepSeries counted = out.get(target);
                counted.values[i] = counted.present[i] ? counted.values[i] + 1 : 1;
                counted.present[i] = true;
            }
        }
        return new Value.Vector(out);
    }

    /** A float as Go's {@code strconv.FormatFloat(f, 'f', -1, 64)} writes it. */
    static String formatValue(final double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == 0) {
            return (1 / v < 0) ? "-0" : "0";
        }
        return new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }
}
