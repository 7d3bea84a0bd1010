package io.tidemark.ingest;

/**
 * One ring slot: up to {@link #capacity()} samples of one tenant, all owned by the slot's shard.
 * Slots are allocated once, with the ring, and reused; a producer fills one between claiming and
 * publishing its sequence, the shard thread reads it after the sequence is published (the
 * Disruptor's sequence barrier orders the two), so neither side synchronises per sample.
 *
 * <p>The arrays are plain primitive arrays: they are transport, not storage, and the copy in and
 * out is a bounds-check-free {@code System.arraycopy}. Sample data is stored off-heap by the shard.
 */
public final class SampleBatch {
    private final int[] series;
    private final long[] timestamps;
    private final double[] values;
    private int tenant;
    private int count;
    private long publishNanos;
    private BatchListener refusals;
    private long tag;

    /** An empty slot for up to {@code capacity} samples. */
    public SampleBatch(final int capacity) {
        this.series = new int[capacity];
        this.timestamps = new long[capacity];
        this.values = new double[capacity];
    }

    /** The most samples a slot holds. */
    public int capacity() {
        return series.length;
    }

    /** The tenant all samples belong to (an index the engine assigns). */
    public int tenant() {
        return tenant;
    }

    /** Number of samples in the slot. */
    public int count() {
        return count;
    }

    /** Series id of sample {@code i}. */
    public int series(final int i) {
        return series[i];
    }

    /** Millisecond timestamp of sample {@code i}. */
    public long timestamp(final int i) {
        return timestamps[i];
    }

    /** Value of sample {@code i}, bit pattern as published. */
    public double value(final int i) {
        return values[i];
    }

    /** {@link System#nanoTime()} when the producer published the slot. */
    public long publishNanos() {
        return publishNanos;
    }

    /** Where the shard reports the samples of this batch it refuses, or null if the producer does not ask. */
    public BatchListener refusals() {
        return refusals;
    }

    /** The producer's tag for {@link #refusals()}. */
    public long tag() {
        return tag;
    }

    /** Arrays for the shard's bulk access; read only indexes below {@link #count()}. */
    public int[] seriesArray() {
        return series;
    }

    /** See {@link #seriesArray()}. */
    public long[] timestampArray() {
        return timestamps;
    }

    /** See {@link #seriesArray()}. */
    public double[] valueArray() {
        return values;
    }

    /** Fills the slot from a producer's buffer; producer side, between claim and publish. */
    void fill(final int tenantIndex, final int[] fromSeries, final long[] fromTimestamps, final double[] fromValues,
              final int samples, final long nanos, final BatchListener sink, final long producerTag) {
        System.arraycopy(fromSeries, 0, series, 0, samples);
        System.arraycopy(fromTimestamps, 0, timestamps, 0, samples);
        System.arraycopy(fromValues, 0, values, 0, samples);
        this.tenant = tenantIndex;
        this.count = samples;
        this.publishNanos = nanos;
        this.refusals = sink;
        this.tag = producerTag;
    }
}
