package io.tidemark.tiering.block;

import java.util.Arrays;

/**
 * The samples of one series gathered from several sources, then put in time order with one sample
 * per timestamp: a stable merge sort, so among equal timestamps the sample added first is kept.
 * Arrays grow to the largest series seen and are reused. Not thread-safe.
 */
final class SampleMerge {
    private long[] times = new long[1024];
    private double[] values = new double[1024];
    private long[] timesScratch = new long[1024];
    private double[] valuesScratch = new double[1024];
    private int size;

    void clear() {
        size = 0;
    }

    void add(final long[] t, final double[] v, final int n) {
        if (size + n > times.length) {
            final int capacity = Math.max(size + n, 2 * times.length);
            times = Arrays.copyOf(times, capacity);
            values = Arrays.copyOf(values, capacity);
            timesScratch = new long[capacity];
            valuesScratch = new double[capacity];
        }
        System.arraycopy(t, 0, times, size, n);
        System.arraycopy(v, 0, values, size, n);
        size += n;
    }

    /** Orders by time (stable), keeps the first sample of each timestamp; returns the count left. */
    int sortAndDropDuplicates() {
        boolean sorted = true;
        for (int i = 1; i < size && sorted; i++) {
            sorted = times[i] > times[i - 1];
        }
        if (!sorted) {
            // bottom-up merge sort of runs that double each pass; stable because a tie takes the left run
            for (int width = 1; width < size; width *= 2) {
                for (int left = 0; left < size; left += 2 * width) {
                    final int middle = Math.min(left + width, size);
                    final int right = Math.min(left + 2 * width, size);
                    int i = left;
                    int j = middle;
                    int k = left;
                    while (i < middle && j < right) {
                        if (times[j] < times[i]) {
                            timesScratch[k] = times[j];
                            valuesScratch[k++] = values[j++];
                        } else {
                            timesScratch[k] = times[i];
                            valuesScratch[k++] = values[i++];
                        }
                    }
                    while (i < middle) {
                        timesScratch[k] = times[i];
                        valuesScratch[k++] = values[i++];
                    }
                    while (j < right) {
                        timesScratch[k] = times[j];
                        valuesScratch[k++] = values[j++];
                    }
                }
                final long[] t = times;
                times = timesScratch;
                timesScratch = t;
                final double[] v = values;
                values = valuesScratch;
                valuesScratch = v;
            }
        }
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (kept == 0 || times[i] != times[kept - 1]) {
                times[kept] = times[i];
                values[kept++] = values[i];
            }
        }
        size = kept;
        return kept;
    }

    long[] times() {
        return times;
    }

    double[] values() {
        return values;
    }
}
