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

    /** Prometheus' {@code smallDeltaTolerance}: bucket counts this close are taken as equal. */
    private static final double SMALL_DELTA_TOLERANCE = 1e-12;

    /**
     * What {@link #bucketQuantile} had to do to the buckets: whether a count below its predecessor was raised to it
     * (Prometheus' "forced monotonicity"), and over which upper bounds and by how much at most.
     */
    static final class BucketFix {
        boolean forcedMonotonic;
        double minBucket;
        double maxBucket;
        double maxDiff;
    }

    /**
     * The {@code q}-quantile of a classic histogram given as {@code upperBounds[i]}, cumulative {@code counts[i]}
     * for {@code i < n} in any order, as Prometheus' {@code BucketQuantile}. Reorders both arrays in place and
     * allocates nothing; reports monotonicity fixes in {@code fix}.
     */
    static double bucketQuantile(final double q, final double[] upperBounds, final double[] counts, final int n,
                                 final BucketFix fix) {
        fix.forcedMonotonic = false;
        if (Double.isNaN(q)) {
            return Double.NaN;
        }
        if (q < 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (q > 1) {
            return Double.POSITIVE_INFINITY;
        }
        // Insertion sort by upper bound: classic histograms have a few dozen buckets at most.
        for (int i = 1; i < n; i++) {
            final double ub = upperBounds[i];
            final double c = counts[i];
            int j = i - 1;
            while (j >= 0 && upperBounds[j] > ub) {
                upperBounds[j + 1] = upperBounds[j];
                counts[j + 1] = counts[j];
                j--;
            }
            upperBounds[j + 1] = ub;
            counts[j + 1] = c;
        }
        if (n == 0 || upperBounds[n - 1] != Double.POSITIVE_INFINITY) {
            return Double.NaN;
        }
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (m > 0 && upperBounds[m - 1] == upperBounds[i]) {
                counts[m - 1] += counts[i];
            } else {
                upperBounds[m] = upperBounds[i];
                counts[m] = counts[i];
                m++;
            }
        }
        ensureMonotonic(upperBounds, counts, m, fix);
        if (m < 2) {
            return Double.NaN;
        }
        final double observations = counts[m - 1];
        if (observations == 0) {
            return Double.NaN;
        }
        double rank = q * observations;
        int b = 0;
        while (b < m - 1 && counts[b] < rank) {
            b++;
        }
        if (b == m - 1) {
            return upperBounds[m - 2];
        }
        if (b == 0 && upperBounds[0] <= 0) {
            return upperBounds[0];
        }
        double bucketStart = 0;
        final double bucketEnd = upperBounds[b];
        double count = counts[b];
        if (b > 0) {
            bucketStart = upperBounds[b - 1];
            count -= counts[b - 1];
            rank -= counts[b - 1];
        }
        return bucketStart + (bucketEnd - bucketStart) * (rank / count);
    }

    /** Prometheus' {@code ensureMonotonicAndIgnoreSmallDeltas}. */
    private static void ensureMonotonic(final double[] upperBounds, final double[] counts, final int m,
                                        final BucketFix fix) {
        fix.minBucket = Double.POSITIVE_INFINITY;
        fix.maxBucket = Double.NEGATIVE_INFINITY;
        fix.maxDiff = 0;
        if (m == 0) {
            return;
        }
        double prev = counts[0];
        for (int i = 1; i < m; i++) {
            final double curr = counts[i];
            if (curr == prev) {
                continue;
            }
            if (almostEqual(prev, curr, SMALL_DELTA_TOLERANCE)) {
                counts[i] = prev;
                continue;
            }
            if (curr < prev) {
                counts[i] = prev;
                fix.forcedMonotonic = true;
                fix.minBucket = Math.min(fix.minBucket, upperBounds[i]);
                fix.maxBucket = Math.max(fix.maxBucket, upperBounds[i]);
                fix.maxDiff = Math.max(fix.maxDiff, prev - curr);
                continue;
            }
            prev = curr;
        }
    }

    /** Prometheus' {@code almost.Equal}. */
    private static boolean almostEqual(final double a, final double b, final double epsilon) {
        if (Double.isNaN(a) && Double.isNaN(b)) {
            return true;
        }
        if (a == b) {
            return true;
        }
        final double absSum = Math.abs(a) + Math.abs(b);
        final double diff = Math.abs(a - b);
        if (a == 0 || b == 0 || absSum < Double.MIN_NORMAL) {
            return diff < epsilon * Double.MIN_NORMAL;
        }
        return diff / Math.min(absSum, Double.MAX_VALUE) < epsilon;
    }
}
