package io.tidemark.promql.eval;

import java.util.Arrays;

/** Quantiles of plain values and of classic {@code le} buckets, as Prometheus' {@code quantile.go} computes them. */
final class Quantiles {
    private Quantiles() {
    }

    /** The {@code q}-quantile of {@code values[0..n)} by linear interpolation; sorts that prefix. */
    static double quantile(final double q, final double[] values, final int n) {
        if (n == 0 || Double.isNaN(q)) {
            return Double.NaN;
        }
        if (q < 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (q > 1) {
            return Double.POSITIVE_INFINITY;
        }
        sortNanFirst(values, n);
        final double rank = q * (n - 1);
        final int lower = (int) Math.max(0, Math.floor(rank));
        final int upper = Math.min(n - 1, lower + 1);
        final double weight = rank - Math.floor(rank);
        return values[lower] * (1 - weight) + values[upper] * weight;
    }

    /** Sorts {@code values[0..n)} ascending with NaN first, as Prometheus' {@code vectorByValueHeap} orders them. */
    static void sortNanFirst(final double[] values, final int n) {
        Arrays.sort(values, 0, n);
        int nans = 0;
        while (nans < n && Double.isNaN(values[n - 1 - nans])) {
            nans++;
        }
        if (nans > 0 && nans < n) {
            System.arraycopy(values, 0, values, nans, n - nans);
            Arrays.fill(values, 0, nans, Double.NaN);
        }
    }

    /**
     * The {@code q}-quantile of a classic histogram given as {@code upperBounds[i]}, cumulative {@code counts[i]}
     * for {@code i < n} in any order.
     */
    static double bucketQuantile(final double q, final double[] upperBounds, final double[] counts, final int n) {
        if (Double.isNaN(q)) {
            return Double.NaN;
        }
        if (q < 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (q > 1) {
            return Double.POSITIVE_INFINITY;
        }
        final Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(upperBounds[a], upperBounds[b]));
        final double[] ub = new double[n];
        final double[] cnt = new double[n];
        int m = 0;
        for (final int i : order) {
            if (m > 0 && ub[m - 1] == upperBounds[i]) {
                cnt[m - 1] += counts[i];
            } else {
                ub[m] = upperBounds[i];
                cnt[m] = counts[i];
                m++;
            }
        }
        if (m == 0 || ub[m - 1] != Double.POSITIVE_INFINITY) {
            return Double.NaN;
        }
        for (int i = 1; i < m; i++) {
            if (cnt[i] < cnt[i - 1]) {
                cnt[i] = cnt[i - 1];
            }
        }
        if (m < 2) {
            return Double.NaN;
        }
        final double observations = cnt[m - 1];
        if (observations == 0) {
            return Double.NaN;
        }
        double rank = q * observations;
        int b = 0;
        while (b < m - 1 && cnt[b] < rank) {
            b++;
        }
        if (b == m - 1) {
            return ub[m - 2];
        }
        if (b == 0 && ub[0] <= 0) {
            return ub[0];
        }
        double bucketStart = 0;
        final double bucketEnd = ub[b];
        double count = cnt[b];
        if (b > 0) {
            bucketStart = ub[b - 1];
            count -= cnt[b - 1];
            rank -= cnt[b - 1];
        }
        return bucketStart + (bucketEnd - bucketStart) * (rank / count);
    }
}
