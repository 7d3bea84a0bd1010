package io.tidemark.tiering.block;

import java.util.Arrays;

/**
 * Deleted time ranges of one series: a {@code long[]} of closed ranges {@code [min, max]} as pairs
 * {@code min0, max0, min1, max1, ...}, sorted by min and disjoint (not even adjacent: {@link #merge}
 * joins ranges that touch). Static helpers shared by the compactor, the sealer and queries.
 */
public final class DeletedRanges {
    private DeletedRanges() {
    }

    /** Sorts and merges {@code count} ranges (pairs) of {@code ranges} into a new canonical array. */
    public static long[] merge(final long[] ranges, final int count) {
        if (count == 0) {
            return new long[0];
        }
        final long[][] pairs = new long[count][];
        for (int i = 0; i < count; i++) {
            if (ranges[2 * i] > ranges[2 * i + 1]) {
                throw new IllegalArgumentException("range " + i + " has min " + ranges[2 * i] + " > max " + ranges[2 * i + 1]);
            }
            pairs[i] = new long[] {ranges[2 * i], ranges[2 * i + 1]};
        }
        Arrays.sort(pairs, (a, b) -> Long.compare(a[0], b[0]));
        final long[] merged = new long[2 * count];
        int n = 0;
        for (final long[] pair : pairs) {
            if (n > 0 && (merged[n - 1] == Long.MAX_VALUE || pair[0] <= merged[n - 1] + 1)) {
                merged[n - 1] = Math.max(merged[n - 1], pair[1]);
            } else {
                merged[n++] = pair[0];
                merged[n++] = pair[1];
            }
        }
        return Arrays.copyOf(merged, n);
    }

    /** Whether any range of {@code ranges} overlaps {@code [minTime, maxTime]}. */
    public static boolean overlaps(final long[] ranges, final long minTime, final long maxTime) {
        for (int i = 0; i < ranges.length; i += 2) {
            if (ranges[i] <= maxTime && ranges[i + 1] >= minTime) {
                return true;
            }
        }
        return false;
    }

    /**
     * Removes the samples whose time lies in a range from {@code times[0..count)} and
     * {@code values[0..count)} (times ascending), moving the others down; returns how many remain.
     */
    public static int remove(final long[] ranges, final long[] times, final double[] values, final int count) {
        int kept = 0;
        int range = 0;
        for (int i = 0; i < count; i++) {
            final long t = times[i];
            while (range < ranges.length && ranges[range + 1] < t) {
                range += 2;
            }
            if (range < ranges.length && ranges[range] <= t) {
                continue; // deleted
            }
            times[kept] = t;
            values[kept++] = values[i];
        }
        return kept;
    }
}
