package io.tidemark.bench.data;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One generated series: its labels (the metric name under {@code __name__} included), its sample
 * timestamps in milliseconds since the epoch, strictly increasing, and one value per timestamp.
 *
 * <p>The label map is unmodifiable and iterates in label-name order. {@link #timestamps()} and
 * {@link #values()} return the arrays this instance owns, without copying, so that benchmarks can
 * read millions of samples without allocating: callers must not modify them. Immutable as long
 * as that holds, and then safe to share between threads.
 */
public final class SeriesData {
    /** The label that holds the metric name. */
    public static final String METRIC_NAME_LABEL = "__name__";

    private final SortedMap<String, String> labels;
    private final long[] timestamps;
    private final double[] values;

    /**
     * Takes ownership of {@code timestamps} and {@code values}; copies {@code labels}.
     *
     * @throws IllegalArgumentException if the arrays differ in length or the timestamps are not
     *     strictly increasing
     */
    public SeriesData(final Map<String, String> labels, final long[] timestamps, final double[] values) {
        if (timestamps.length != values.length) {
            throw new IllegalArgumentException("timestamps and values differ in length: timestamps="
                + timestamps.length + " values=" + values.length);
        }
        for (int i = 1; i < timestamps.length; i++) {
            if (timestamps[i] <= timestamps[i - 1]) {
                throw new IllegalArgumentException("timestamps not strictly increasing: index=" + i
                    + " previous=" + timestamps[i - 1] + " timestamp=" + timestamps[i]);
            }
        }
        this.labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
        this.timestamps = timestamps;
        this.values = values;
    }

    /** The labels, sorted by name, {@code __name__} included; unmodifiable. */
    public Map<String, String> labels() {
        return labels;
    }

    /** The metric name, that is the {@code __name__} label, or null if there is none. */
    public String metricName() {
        return labels.get(METRIC_NAME_LABEL);
    }

    /** Sample timestamps in milliseconds since the epoch, strictly increasing; do not modify. */
    public long[] timestamps() {
        return timestamps;
    }

    /** Sample values, one per timestamp; do not modify. */
    public double[] values() {
        return values;
    }

    /** Number of samples. */
    public int size() {
        return timestamps.length;
    }

    @Override
    public String toString() {
        return "SeriesData{labels=" + labels + ", size=" + timestamps.length + '}';
    }
}
