package io.tidemark.promql.eval;

import io.tidemark.promql.ast.Call;
import io.tidemark.promql.ast.Expr;
import io.tidemark.promql.ast.ValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Functions of a range vector: per series and step, the window of samples {@code (ref - range, ref]} (closed in
 * Prometheus 2 mode) found by two pointers that only move forward, then a fold over the window's primitive arrays.
 */
final class RangeFunctions {
    private RangeFunctions() {
    }

    static Value eval(final Evaluator ev, final Call call) {
        final String name = call.function().name();
        final List<Expr> args = call.args();
        int matrixIndex = 0;
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).type() == ValueType.MATRIX) {
                matrixIndex = i;
            }
        }
        final double[][] scalars = new double[args.size()][];
        for (int i = 0; i < args.size(); i++) {
            if (i != matrixIndex) {
                scalars[i] = ev.evalScalar(args.get(i));
            }
        }
        final Expr rangeArg = args.get(matrixIndex);
        final boolean keepName = name.equals("last_over_time") || name.equals("first_over_time");
        final int steps = ev.steps;
        final boolean[] anyPresent = new boolean[steps];
        final List<StepSeries> out = RangeSeriesChunks.of(ev, rangeArg).evaluate(ev, name, scalars, keepName,
            anyPresent);
        if (name.equals("rate") || name.equals("increase")) {
            for (final StepSeries result : out) {
                infoIfNotCounterName(ev, result.labels.get(Labels.NAME), rangeArg);
            }
        }
        if (name.equals("quantile_over_time")) {
            ClassicHistogramQuantile.warnInvalidQuantiles(ev, scalars[0], args.get(0), anyPresent);
        }
        if (name.equals("absent_over_time")) {
            final StepSeries absent = new StepSeries(Functions.absentLabels(args.get(0)), steps, true);
            for (int i = 0; i < steps; i++) {
                if (!anyPresent[i]) {
                    absent.set(i, 1);
                }
            }
            final List<StepSeries> result = new ArrayList<>();
            if (!absent.isEmpty()) {
                result.add(absent);
            }
            return new Value.Vector(result);
        }
        return new Value.Vector(out);
    }

    /** Per-thread scratch of {@link #evalSeries}: a window's values for quantiles, running sums for folds. */
    static final class WindowScratch {
        double[] values = new double[16];
        // Running sums and their compensations of the current window, reused for every window.
        final double[] acc = new double[ACC_SLOTS];
    }

    /**
     * Function {@code name} over every step's window {@code (refs[i] - range, refs[i]]} of series {@code s}, marking
     * in {@code anyPresent} the steps with a window; null when no step has a result. Touches no shared state.
     */
    static StepSeries evalSeries(final Evaluator ev, final String name, final RangeSeries s, final long[] refs,
                                 final long range, final double[][] scalars, final boolean keepName,
                                 final boolean[] anyPresent, final WindowScratch scratch) {
        final boolean closed = ev.closed();
        final boolean prometheus2 = ev.prometheus2();
        final int steps = ev.steps;
        final StepSeries result = new StepSeries(s.labels, steps, keepName ? s.dropName : true);
        final long[] t = s.timestamps;
        final int size = s.size;
        int lo = 0;
        int hi = 0;
        for (int i = 0; i < steps; i++) {
            final long ref = refs[i];
            final long from = ref - range;
            if (i > 0 && ref < refs[i - 1]) {
                lo = 0;
                hi = 0;
            }
            while (lo < size && (closed ? t[lo] < from : t[lo] <= from)) {
                lo++;
            }
            if (hi < lo) {
                hi = lo;
            }
            while (hi < size && t[hi] <= ref) {
                hi++;
            }
            if (hi <= lo) {
                continue;
            }
            anyPresent[i] = true;
            if (scratch.values.length < hi - lo) {
                scratch.values = new double[hi - lo];
            }
            final double v = apply(name, s, lo, hi, from, ref, ev.time(i), scalars, i, scratch.values, scratch.acc,
                prometheus2);
            if (Double.doubleToRawLongBits(v) != NO_VALUE_BITS) {
                result.set(i, v);
            }
        }
        return result.isEmpty() ? null : result;
    }

    /**
     * Prometheus' info for rate and increase over a series whose metric name does not end like a counter's (once per
     * series with a result; the annotations keep each message once).
     */
    private static void infoIfNotCounterName(final Evaluator ev, final String metric, final Expr at) {
        if (!metric.isEmpty() && !metric.endsWith("_total") && !metric.endsWith("_sum") && !metric.endsWith("_count")
            && !metric.endsWith("_bucket")) {
            ev.ctx.info("metric might not be a counter, name does not end in _total/_sum/_count/_bucket: "
                + Annotations.quoted(metric), at);
        }
    }

    /** A NaN payload no arithmetic produces, marking "no result at this step". */
    private static final long NO_VALUE_BITS = 0x7ff8dead0000beefL;

    private static double none() {
        return Double.longBitsToDouble(NO_VALUE_BITS);
    }

    private static double apply(final String name, final RangeSeries s, final int lo, final int hi, final long from,
                                final long ref, final long evalTime, final double[][] scalars, final int step,
                                final double[] scratch, final double[] acc, final boolean prometheus2) {
        final long[] t = s.timestamps;
        final double[] v = s.values;
        final int n = hi - lo;
        return switch (name) {
            case "rate" -> extrapolatedRate(t, v, lo, hi, from, ref, true, true, prometheus2);
            case "increase" -> extrapolatedRate(t, v, lo, hi, from, ref, true, false, prometheus2);
            case "delta" -> extrapolatedRate(t, v, lo, hi, from, ref, false, false, prometheus2);
            case "irate", "idelta" -> {
                if (n < 2) {
                    yield none();
                }
                final long dt = t[hi - 1] - t[hi - 2];
                if (dt == 0) {
                    yield none();
                }
                double result = v[hi - 1];
                final boolean isRate = name.equals("irate");
                // Not "v1 >= v0": a NaN on either side is no counter reset, so it subtracts to NaN as in Prometheus.
                if (!isRate || !(v[hi - 1] < v[hi - 2])) {
                    result = v[hi - 1] - v[hi - 2];
                }
                yield isRate ? result / (dt / 1000.0) : result;
            }
            case "count_over_time" -> n;
            case "present_over_time", "absent_over_time" -> 1;
            case "last_over_time" -> v[hi - 1];
            case "first_over_time" -> v[lo];
            case "ts_of_last_over_time" -> t[hi - 1] / 1000.0;
            case "ts_of_first_over_time" -> t[lo] / 1000.0;
            case "sum_over_time" -> {
                acc[0] = 0;
                acc[1] = 0;
                for (int i = lo; i < hi; i++) {
                    kahanAdd(v[i], acc, 0);
                }
                yield Double.isInfinite(acc[0]) ? acc[0] : acc[0] + acc[1];
            }
            case "avg_over_time" -> avg(v, lo, hi, acc);
            case "min_over_time", "max_over_time", "ts_of_min_over_time", "ts_of_max_over_time" -> {
                final boolean max = name.contains("max");
                int best = lo;
                for (int i = lo + 1; i < hi; i++) {
                    final double x = v[i];
                    final double b = v[best];
                    if ((max ? x > b : x < b) || Double.isNaN(b) && !Double.isNaN(x)
                        || name.startsWith("ts_of") && x == b) {
                        best = i;
                    }
                }
                yield name.startsWith("ts_of") ? t[best] / 1000.0 : v[best];
            }
            case "stddev_over_time", "stdvar_over_time" -> {
                double count = 0;
                Arrays.fill(acc, 0, 4, 0);
                // mean and its compensation in acc[0..1], the sum of squared deviations in acc[2..3]
                for (int i = lo; i < hi; i++) {
                    count++;
                    final double delta = v[i] - (acc[0] + acc[1]);
                    kahanAdd(delta / count, acc, 0);
                    kahanAdd(delta * (v[i] - (acc[0] + acc[1])), acc, 2);
                }
                final double variance = (acc[2] + acc[3]) / count;
                yield name.startsWith("stddev") ? Math.sqrt(variance) : variance;
            }
            case "quantile_over_time" -> {
                System.arraycopy(v, lo, scratch, 0, n);
                yield Quantiles.quantile(scalars[0][step], scratch, n);
            }
            case "mad_over_time" -> {
                for (int i = lo; i < hi; i++) {
                    if (Double.isNaN(v[i])) {
                        yield Double.NaN;
                    }
                }
                System.arraycopy(v, lo, scratch, 0, n);
                final double median = Quantiles.quantile(0.5, scratch, n);
                for (int i = 0; i < n; i++) {
                    scratch[i] = Math.abs(scratch[i] - median);
                }
                yield Quantiles.quantile(0.5, scratch, n);
            }
            case "changes" -> {
                int changes = 0;
                for (int i = lo + 1; i < hi; i++) {
                    if (v[i] != v[i - 1] && !(Double.isNaN(v[i]) && Double.isNaN(v[i - 1]))) {
                        changes++;
                    }
                }
                yield changes;
            }
            case "resets" -> {
                int resets = 0;
                for (int i = lo + 1; i < hi; i++) {
                    if (v[i] < v[i - 1]) {
                        resets++;
                    }
                }
                yield resets;
            }
            case "deriv" -> {
                if (n < 2) {
                    yield none();
                }
                linearRegression(t, v, lo, hi, t[lo], acc);
                yield acc[SLOPE];
            }
            case "predict_linear" -> {
                if (n < 2) {
                    yield none();
                }
                linearRegression(t, v, lo, hi, evalTime, acc);
                yield acc[SLOPE] * scalars[1][step] + acc[INTERCEPT];
            }
            case "double_exponential_smoothing", "holt_winters" -> {
                final double sf = scalars[1][step];
                final double tf = scalars[2][step];
                if (sf <= 0 || sf >= 1) {
                    throw QueryException.execution("invalid smoothing factor. Expected: 0 < sf < 1, got: "
                        + String.format(java.util.Locale.ROOT, "%f", sf));
                }
                if (tf <= 0 || tf >= 1) {
                    throw QueryException.execution("invalid trend factor. Expected: 0 < tf < 1, got: "
                        + String.format(java.util.Locale.ROOT, "%f", tf));
                }
                if (n < 2) {
                    yield none();
                }
                double s0 = 0;
                double s1 = v[lo];
                double b = v[lo + 1] - v[lo];
                for (int i = 1; i < n; i++) {
                    final double x = sf * v[lo + i];
                    if (i - 1 != 0) {
                        b = tf * (s1 - s0) + (1 - tf) * b;
                    }
                    final double y = (1 - sf) * (s1 + b);
                    s0 = s1;
                    s1 = x + y;
                }
                yield s1;
            }
            default -> throw QueryException.execution("function " + name + " is not supported");
        };
    }

    /** Slots of the window accumulator: four sums with compensations, then a regression's slope and intercept. */
    private static final int ACC_SLOTS = 10;
    private static final int SLOPE = 8;
    private static final int INTERCEPT = 9;

    /**
     * Neumaier-compensated addition of {@code inc} to the sum in {@code acc[at]} with its compensation in
     * {@code acc[at + 1]}, as Prometheus' {@code kahansum.Inc}.
     */
    static void kahanAdd(final double inc, final double[] acc, final int at) {
        final double sum = acc[at];
        final double t = sum + inc;
        if (Double.isInfinite(t)) {
            acc[at + 1] = 0;
        } else if (Math.abs(sum) >= Math.abs(inc)) {
            acc[at + 1] += (sum - t) + inc;
        } else {
            acc[at + 1] += (inc - t) + sum;
        }
        acc[at] = t;
    }

    /**
     * Prometheus' avg_over_time: a compensated sum divided by the count, switching to an incremental mean (in the
     * same slots) once the sum would overflow.
     */
    private static double avg(final double[] v, final int lo, final int hi, final double[] acc) {
        acc[0] = v[lo];
        acc[1] = 0;
        boolean incremental = false;
        double count = 1;
        for (int i = lo + 1; i < hi; i++) {
            count = i - lo + 1;
            if (!incremental) {
                final double before = acc[0];
                final double beforeC = acc[1];
                kahanAdd(v[i], acc, 0);
                if (!Double.isInfinite(acc[0])) {
                    continue;
                }
                incremental = true;
                acc[0] = before / (count - 1);
                acc[1] = beforeC / (count - 1);
            }
            final double q = (count - 1) / count;
            acc[0] = q * acc[0];
            acc[1] = q * acc[1];
            kahanAdd(v[i] / count, acc, 0);
        }
        return incremental ? acc[0] + acc[1] : acc[0] / count + acc[1] / count;
    }

    /**
     * Least-squares fit of the window against time in seconds from {@code interceptTime}, as Prometheus'
     * {@code linearRegression}: slope into {@code acc[SLOPE]}, intercept into {@code acc[INTERCEPT]}.
     */
    static void linearRegression(final long[] t, final double[] v, final int lo, final int hi,
                                 final long interceptTime, final double[] acc) {
        double n = 0;
        Arrays.fill(acc, 0, SLOPE, 0);
        final double initY = v[lo];
        boolean constY = true;
        for (int i = lo; i < hi; i++) {
            if (constY && i > lo && v[i] != initY) {
                constY = false;
            }
            n += 1;
            final double x = (t[i] - interceptTime) / 1e3;
            kahanAdd(x, acc, 0);
            kahanAdd(v[i], acc, 2);
            kahanAdd(x * v[i], acc, 4);
            kahanAdd(x * x, acc, 6);
        }
        if (constY) {
            final boolean infinite = Double.isInfinite(initY);
            acc[SLOPE] = infinite ? Double.NaN : 0;
            acc[INTERCEPT] = infinite ? Double.NaN : initY;
            return;
        }
        final double sumX = acc[0] + acc[1];
        final double sumY = acc[2] + acc[3];
        final double sumXY = acc[4] + acc[5];
        final double sumX2 = acc[6] + acc[7];
        final double covXY = sumXY - sumX * sumY / n;
        final double varX = sumX2 - sumX * sumX / n;
        final double slope = covXY / varX;
        acc[SLOPE] = slope;
        acc[INTERCEPT] = sumY / n - slope * sumX / n;
    }

    /**
     * Prometheus' rate/increase/delta: the change over the window extrapolated towards its edges. A counter is not
     * extrapolated below zero: Prometheus 3 first replaces a gap to the window start wider than 1.1 average intervals
     * by half an interval, then caps it by the counter's duration to zero; Prometheus 2.x ({@code prometheus2}) caps
     * first and compares after, so a duration to zero between half and 1.1 intervals is taken whole.
     */
    static double extrapolatedRate(final long[] t, final double[] v, final int lo, final int hi,
                                   final long rangeStart, final long rangeEnd, final boolean isCounter,
                                   final boolean isRate, final boolean prometheus2) {
        final int n = hi - lo;
        if (n < 2) {
            return none();
        }
        final long firstT = t[lo];
        final long lastT = t[hi - 1];
        double result = v[hi - 1] - v[lo];
        if (isCounter) {
            for (int i = lo + 1; i < hi; i++) {
                if (v[i] < v[i - 1]) {
                    result += v[i - 1];
                }
            }
        }
        double durationToStart = (firstT - rangeStart) / 1000.0;
        double durationToEnd = (rangeEnd - lastT) / 1000.0;
        final double sampledInterval = (lastT - firstT) / 1000.0;
        final double averageBetween = sampledInterval / (n - 1);
        final double threshold = averageBetween * 1.1;
        if (!prometheus2 && durationToStart >= threshold) {
            durationToStart = averageBetween / 2;
        }
        if (isCounter && result > 0 && v[lo] >= 0) {
            final double durationToZero = sampledInterval * (v[lo] / result);
            if (durationToZero < durationToStart) {
                durationToStart = durationToZero;
            }
        }
        if (prometheus2 && durationToStart >= threshold) {
            durationToStart = averageBetween / 2;
        }
        if (durationToEnd >= threshold) {
            durationToEnd = averageBetween / 2;
        }
        double factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
        if (isRate) {
            factor /= (rangeEnd - rangeStart) / 1000.0;
        }
        return result * factor;
    }

    static double[] copy(final double[] values, final int lo, final int hi) {
        return Arrays.copyOfRange(values, lo, hi);
    }
}
