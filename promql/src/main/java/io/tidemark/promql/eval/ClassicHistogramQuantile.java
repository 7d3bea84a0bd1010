package io.tidemark.promql.eval;

import io.tidemark.promql.ast.Call;
import io.tidemark.promql.ast.Expr;
import io.tidemark.promql.ast.PromQlFormat;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code histogram_quantile} over classic histograms: series grouped by their labels without {@code le}, each step's
 * buckets handed to {@link Quantiles#bucketQuantile} in reused arrays, with Prometheus' annotations (invalid
 * quantile, malformed {@code le}, forced monotonicity).
 */
final class ClassicHistogramQuantile {
    private ClassicHistogramQuantile() {
    }

    static Value eval(final Evaluator ev, final Call call) {
        final double[] q = ev.evalScalar(call.args().get(0));
        final List<StepSeries> in = ev.evalVector(call.args().get(1));
        final Expr bucketsArg = call.args().get(1);
        warnInvalidQuantiles(ev, q, call.args().get(0), null);
        final Map<Labels, List<Integer>> groups = new LinkedHashMap<>();
        final double[] bounds = new double[in.size()];
        for (int s = 0; s < in.size(); s++) {
            final Labels labels = in.get(s).labels;
            try {
                bounds[s] = parseBound(labels.get("le"));
            } catch (final NumberFormatException notABucket) {
                ev.ctx.warn("bucket label \"le\" is missing or has a malformed value of " + Annotations.quoted(labels.get("le"))
                    + Annotations.forMetricName(labels.get(Labels.NAME)), bucketsArg);
                continue;
            }
            groups.computeIfAbsent(labels.without(List.of("le")), k -> new ArrayList<>()).add(s);
        }
        final List<StepSeries> out = new ArrayList<>();
        final double[] ub = new double[in.size()];
        final double[] counts = new double[in.size()];
        final Quantiles.BucketFix fix = new Quantiles.BucketFix();
        final Map<String, MonotonicityFixes> fixes = new LinkedHashMap<>();
        for (final Map.Entry<Labels, List<Integer>> group : groups.entrySet()) {
            final StepSeries result = new StepSeries(group.getKey().withoutMetadata(), ev.steps, false);
            for (int i = 0; i < ev.steps; i++) {
                int n = 0;
                for (final int s : group.getValue()) {
                    if (in.get(s).present[i]) {
                        ub[n] = bounds[s];
                        counts[n] = in.get(s).values[i];
                        n++;
                    }
                }
                if (n > 0) {
                    result.set(i, Quantiles.bucketQuantile(q[i], ub, counts, n, fix));
                    if (fix.forcedMonotonic) {
                        fixes.computeIfAbsent(group.getKey().get(Labels.NAME), k -> new MonotonicityFixes())
                            .add(ev.time(i), fix);
                    }
                }
            }
            if (!result.isEmpty()) {
                out.add(result);
            }
        }
        fixes.forEach((metric, f) -> ev.ctx.info(f.message(metric), bucketsArg));
        return new Value.Vector(Functions.mergeSameLabels(out));
    }

    /**
     * Prometheus' warning for quantiles outside [0, 1] or NaN, once per distinct value, for the steps where
     * {@code evaluated} is true (every step when null).
     */
    static void warnInvalidQuantiles(final Evaluator ev, final double[] q, final Expr at, final boolean[] evaluated) {
        long warnedBits = 0;
        boolean warned = false;
        for (int i = 0; i < q.length; i++) {
            final double v = q[i];
            if ((evaluated == null || evaluated[i]) && (Double.isNaN(v) || v < 0 || v > 1)
                && !(warned && Double.doubleToLongBits(v) == warnedBits)) {
                ev.ctx.warn("quantile value should be between 0 and 1, got " + PromQlFormat.shortestFloat(v), at);
                warned = true;
                warnedBits = Double.doubleToLongBits(v);
            }
        }
    }

    /** The forced-monotonicity fixes of one metric name across groups and steps, merged as Prometheus merges them. */
    private static final class MonotonicityFixes {
        private long minTs = Long.MAX_VALUE;
        private long maxTs = Long.MIN_VALUE;
        private double minBucket = Double.POSITIVE_INFINITY;
        private double maxBucket = Double.NEGATIVE_INFINITY;
        private double maxDiff;
        private int count;

        void add(final long ts, final Quantiles.BucketFix fix) {
            minTs = Math.min(minTs, ts);
            maxTs = Math.max(maxTs, ts);
            minBucket = Math.min(minBucket, fix.minBucket);
            maxBucket = Math.max(maxBucket, fix.maxBucket);
            maxDiff = Math.max(maxDiff, fix.maxDiff);
            count++;
        }

        String message(final String metric) {
            return "input to histogram_quantile needed to be fixed for monotonicity (see "
                + "https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile)"
                + Annotations.forMetricName(metric) + ", from buckets " + PromQlFormat.shortestFloat(minBucket) + " to "
                + PromQlFormat.shortestFloat(maxBucket) + ", with a max diff of " + twoDigits(maxDiff) + ", over "
                + count + " samples from " + Instant.ofEpochSecond(minTs / 1000) + " to "
                + Instant.ofEpochSecond(maxTs / 1000);
        }

        /** Go's {@code %.2g}: two significant digits, exponent form below 1e-4 or from 1e2, no trailing zeros. */
        private static String twoDigits(final double v) {
            if (v == 0 || Double.isNaN(v) || Double.isInfinite(v)) {
                return PromQlFormat.shortestFloat(v);
            }
            final BigDecimal rounded = new BigDecimal(v).round(new MathContext(2, RoundingMode.HALF_EVEN))
                .stripTrailingZeros();
            final int exponent = rounded.precision() - rounded.scale() - 1;
            if (exponent < -4 || exponent >= 2) {
                final String digits = rounded.unscaledValue().abs().toString();
                final StringBuilder out = new StringBuilder(v < 0 ? "-" : "").append(digits.charAt(0));
                if (digits.length() > 1) {
                    out.append('.').append(digits, 1, digits.length());
                }
                final int magnitude = Math.abs(exponent);
                return out.append(exponent < 0 ? "e-" : "e+").append(magnitude < 10 ? "0" : "").append(magnitude)
                    .toString();
            }
            return rounded.toPlainString();
        }
    }

    /**
     * An {@code le} value as Go's {@code strconv.ParseFloat} reads it: {@code inf} and {@code infinity} in any case
     * with an optional sign, {@code nan} in any case without one, decimal and hex floats; not Java's extras
     * (surrounding blanks, a trailing {@code d} or {@code f}).
     */
    static double parseBound(final String text) {
        final String unsigned = text.startsWith("+") || text.startsWith("-") ? text.substring(1) : text;
        switch (unsigned.toLowerCase(java.util.Locale.ROOT)) {
            case "inf", "infinity" -> {
                return text.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
            case "nan" -> {
                if (unsigned.length() != text.length()) {
                    throw new NumberFormatException("signed NaN: " + text);
                }
                return Double.NaN;
            }
            default -> {
                final char last = unsigned.isEmpty() ? ' ' : unsigned.charAt(unsigned.length() - 1);
                if (!(Character.isDigit(last) || last == '.')
                    || !(Character.isDigit(unsigned.charAt(0)) || unsigned.charAt(0) == '.')) {
                    throw new NumberFormatException("not a float: " + text);
                }
                return Double.parseDouble(text);
            }
        }
    }
}
