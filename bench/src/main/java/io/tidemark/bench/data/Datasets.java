package io.tidemark.bench.data;

/**
 * Factory of the benchmark datasets. Every dataset is a pure function of its seed and parameters:
 * the same arguments always give bit-identical series.
 */
public final class Datasets {
    /** Name of the node_exporter-like dataset, see {@link #node}. */
    public static final String NODE = "node";
    /** Name of the TSBS cpu-only dataset, see {@link #tsbs}. */
    public static final String TSBS = "tsbs";

    private Datasets() {
    }

    /**
     * A node_exporter scrape of {@code targets} hosts every 15 s, each of {@code samplesPerSeries} samples:
     * 163 series per target, series {@code i} belonging to target {@code i / 163}, of which 84 counters
     * (integer and decimal), 41 slowly moving gauges, 12 high-entropy float gauges (durations, clock)
     * and 26 constants. The full table is in the javadoc of the package-private NodeExporterDataset.
     *
     * @throws IllegalArgumentException if a count is not positive or the series count exceeds an int
     */
    public static Dataset node(final long seed, final int targets, final int samplesPerSeries) {
        return new NodeExporterDataset(seed, targets, samplesPerSeries);
    }

    /**
     * The TSBS cpu-only use case: {@code hosts} hosts with 10 {@code cpu_usage_*} series each (series
     * {@code i} belonging to host {@code i / 10}), sampled every 10 s from a common start, each a
     * random walk clamped to {@code [0, 100]} at full float64 precision.
     *
     * @throws IllegalArgumentException if a count is not positive or the series count exceeds an int
     */
    public static Dataset tsbs(final long seed, final int hosts, final int samplesPerSeries) {
        return new TsbsCpuDataset(seed, hosts, samplesPerSeries);
    }

    /**
     * The dataset called {@code name}: {@code "node"} with {@code scale} targets or {@code "tsbs"} with
     * {@code scale} hosts.
     *
     * @throws IllegalArgumentException for any other name, or for counts the named factory rejects
     */
    public static Dataset byName(final String name, final long seed, final int scale, final int samplesPerSeries) {
        return switch (name) {
            case NODE -> node(seed, scale, samplesPerSeries);
            case TSBS -> tsbs(seed, scale, samplesPerSeries);
            default -> throw new IllegalArgumentException("unknown dataset: name=" + name + " (valid names: "
                + NODE + ", " + TSBS + ")");
        };
    }

    static int checkedSeriesCount(final String what, final int units, final int seriesPerUnit, final int samples) {
        if (units <= 0 || samples <= 0) {
            throw new IllegalArgumentException("counts must be positive: " + what + "=" + units
                + " samplesPerSeries=" + samples);
        }
        final long seriesCount = (long) units * seriesPerUnit;
        if (seriesCount > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too many series: " + what + "=" + units + " seriesCount=" + seriesCount);
        }
        return (int) seriesCount;
    }
}
