package io.tidemark.promql.eval;

/**
 * A series' samples as a range vector holds them: {@code timestamps[i]}, {@code values[i]} for {@code i < size},
 * oldest first, stale markers removed.
 */
final class RangeSeries {
    final Labels labels;
    final long[] timestamps;
    final double[] values;
    final int size;
    final boolean dropName;

    RangeSeries(final Labels labels, final long[] timestamps, final double[] values, final int size,
                final boolean dropName) {
        this.labels = labels;
        this.timestamps = timestamps;
        this.values = values;
        this.size = size;
        this.dropName = dropName;
    }
}
