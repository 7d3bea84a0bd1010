package io.tidemark.server.metrics;

import io.tidemark.engine.db.Tidemark;
import org.HdrHistogram.Histogram;

/**
 * The database's ingest latencies since start, for {@code /metrics}: publish→applied and publish→durable per ring
 * slot (a batch of samples), as the shard threads record them (HdrHistogram, three significant digits). Each scrape
 * first adds what the shards recorded since the one before ({@link Tidemark#drainLatencies}), so nothing is counted
 * twice or lost between scrapes. Thread-safe; allocates per scrape, never on the write path.
 */
public final class IngestLatency {
    /** Bucket upper bounds, seconds: 10 µs to 10 s, so a tail of tens of microseconds is told apart. */
    static final double[] BOUNDS = {0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
        0.05, 0.1, 0.25, 1, 10};

    private final Histogram applied = new Histogram(3);
    private final Histogram durable = new Histogram(3);

    /** What one scrape shows: bucket counts (not cumulative, the last above every bound) and sums in seconds. */
    record Snapshot(long[] applied, double appliedSum, long[] durable, double durableSum) {
    }

    /** Takes what the shards of {@code db} recorded since the last call and returns the totals since start. */
    synchronized Snapshot drain(final Tidemark db) {
        db.drainLatencies(applied, durable);
        return new Snapshot(counts(applied), sumSeconds(applied), counts(durable), sumSeconds(durable));
    }

    static long[] counts(final Histogram histogram) {
        final long[] counts = new long[BOUNDS.length + 1];
        long below = 0;
        for (int i = 0; i < BOUNDS.length; i++) {
            final long upTo = histogram.getCountBetweenValues(0, Math.round(BOUNDS[i] * 1e9));
            counts[i] = upTo - below;
            below = upTo;
        }
        counts[BOUNDS.length] = histogram.getTotalCount() - below;
        return counts;
    }

    private static double sumSeconds(final Histogram histogram) {
        return histogram.getTotalCount() == 0 ? 0 : histogram.getMean() * histogram.getTotalCount() / 1e9;
    }
}
