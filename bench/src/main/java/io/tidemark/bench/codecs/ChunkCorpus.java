package io.tidemark.bench.codecs;

import io.tidemark.bench.data.Dataset;
import io.tidemark.bench.data.SeriesData;
import java.util.ArrayList;
import java.util.List;

/**
 * A dataset cut into chunks of at most {@code chunkSamples} samples per series, held as plain
 * arrays so that encoders are timed on their own work, not on generating data.
 */
public final class ChunkCorpus {
    private final long[][] timestamps;
    private final double[][] values;
    private final long samples;
    private final int maxChunkSamples;

    private ChunkCorpus(final long[][] timestamps, final double[][] values, final long samples, final int maxChunkSamples) {
        this.timestamps = timestamps;
        this.values = values;
        this.samples = samples;
        this.maxChunkSamples = maxChunkSamples;
    }

    /** Cuts every series of {@code dataset} into consecutive chunks. */
    public static ChunkCorpus of(final Dataset dataset, final int chunkSamples) {
        final List<long[]> chunkTimestamps = new ArrayList<>();
        final List<double[]> chunkValues = new ArrayList<>();
        long samples = 0;
        for (int s = 0; s < dataset.seriesCount(); s++) {
            final SeriesData series = dataset.series(s);
            final int n = series.size();
            for (int from = 0; from < n; from += chunkSamples) {
                final int to = Math.min(n, from + chunkSamples);
                chunkTimestamps.add(java.util.Arrays.copyOfRange(series.timestamps(), from, to));
                chunkValues.add(java.util.Arrays.copyOfRange(series.values(), from, to));
                samples += to - from;
            }
        }
        return new ChunkCorpus(chunkTimestamps.toArray(long[][]::new), chunkValues.toArray(double[][]::new), samples,
            chunkSamples);
    }

    /** Number of chunks. */
    public int chunks() {
        return timestamps.length;
    }

    /** Total samples. */
    public long samples() {
        return samples;
    }

    /** Largest chunk, in samples. */
    public int maxChunkSamples() {
        return maxChunkSamples;
    }

    /** Timestamps of chunk {@code i}; its length is the chunk's sample count. */
    public long[] timestamps(final int i) {
        return timestamps[i];
    }

    /** Values of chunk {@code i}. */
    public double[] values(final int i) {
        return values[i];
    }
}
