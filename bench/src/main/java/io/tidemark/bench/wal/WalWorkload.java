package io.tidemark.bench.wal;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Sample batches shaped like scrapes as a shard receives them, precomputed so that generating them
 * costs nothing inside a timed loop. {@code series} series belong to targets of 500 series, each
 * scraped every 15 s at its own offset; a batch is {@code batchSamples} consecutive samples of the
 * scrape order (so series ids mostly ascend by one and times repeat within a target). A third of
 * the series are counters (integral values), the rest gauges (random doubles); 1% of the samples are
 * stale markers. Batches of {@link #ROUNDS} scrape rounds are kept and cycled through.
 */
final class WalWorkload {
    static final long STALE_MARKER = 0x7ff0000000000002L;
    static final int ROUNDS = 3;
    private static final int TARGET_SERIES = 500;
    private static final long SCRAPE_MILLIS = 15_000;

    final int batchSamples;
    final int batches;
    final int[][] seriesIds;
    final long[][] timestamps;
    final double[][] values;
    final int series;

    WalWorkload(final int series, final int batchSamples, final long seed) {
        this.series = series;
        this.batchSamples = batchSamples;
        final int perRound = (series + batchSamples - 1) / batchSamples;
        this.batches = perRound * ROUNDS;
        this.seriesIds = new int[batches][];
        this.timestamps = new long[batches][];
        this.values = new double[batches][];
        final SplittableRandom random = new SplittableRandom(seed);
        final long start = 1_763_000_000_000L;
        final long[] counters = new long[series];
        int b = 0;
        for (int round = 0; round < ROUNDS; round++) {
            for (int first = 0; first < series; first += batchSamples, b++) {
                final int n = Math.min(batchSamples, series - first);
                seriesIds[b] = new int[n];
                timestamps[b] = new long[n];
                values[b] = new double[n];
                for (int i = 0; i < n; i++) {
                    final int id = first + i;
                    final int target = id / TARGET_SERIES;
                    seriesIds[b][i] = id;
                    timestamps[b][i] = start + round * SCRAPE_MILLIS + (target * 7919L) % SCRAPE_MILLIS + random.nextInt(3);
                    if (random.nextInt(100) == 0) {
                        values[b][i] = Double.longBitsToDouble(STALE_MARKER);
                    } else if (id % 3 == 0) {
                        counters[id] += random.nextInt(1000);
                        values[b][i] = counters[id];
                    } else {
                        values[b][i] = random.nextGaussian() * 100;
                    }
                }
            }
        }
    }

    /** Canonical-looking label bytes of a series (their content does not matter to the WAL). */
    static byte[] labels(final int id) {
        return ("__name__\u0000node_metric_" + (id % 150) + "\u0000instance\u0000host-" + (id / TARGET_SERIES)
            + ":9100\u0000job\u0000node\u0000series\u0000" + id).getBytes(StandardCharsets.UTF_8);
    }
}
