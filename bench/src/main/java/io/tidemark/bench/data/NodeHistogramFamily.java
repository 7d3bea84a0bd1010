package io.tidemark.bench.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A classic Prometheus histogram, {@code prometheus_http_request_duration_seconds} with the
 * server's buckets (0.1 s to 120 s and +Inf), for two handlers: {@code /metrics}, hit about once
 * per scrape, and {@code /api/v1/query_range}, hit in bursts by dashboards and often idle.
 *
 * <p>Per handler: the ten cumulative {@code _bucket} counters (non-decreasing in {@code le}, the
 * +Inf bucket equal to {@code _count}), {@code _count}, and {@code _sum}, which client_golang keeps
 * by adding each observation's {@code Duration.Seconds()} to a float64, so it is a high-entropy
 * float counter.
 */
final class NodeHistogramFamily extends NodeSeriesFamily {
    private static final String METRIC = "prometheus_http_request_duration_seconds";
    private static final String[] HANDLERS = {"/api/v1/query_range", "/metrics"};
    private static final double[] BOUNDS = {0.1, 0.2, 0.4, 1, 3, 8, 20, 60, 120};
    private static final String[] BOUND_TEXTS = {"0.1", "0.2", "0.4", "1", "3", "8", "20", "60", "120", "+Inf"};
    private static final int BUCKETS = BOUND_TEXTS.length;
    private static final int PER_HANDLER = BUCKETS + 2;
    private static final int HISTORY_DRAWS = 1_000;

    NodeHistogramFamily() {
        super(keys());
    }

    private static List<SeriesKey> keys() {
        final List<SeriesKey> keys = new ArrayList<>();
        for (final String handler : HANDLERS) {
            for (final String bound : BOUND_TEXTS) {
                keys.add(new SeriesKey(METRIC + "_bucket", "handler", handler, "le", bound));
            }
            keys.add(new SeriesKey(METRIC + "_count", "handler", handler));
            keys.add(new SeriesKey(METRIC + "_sum", "handler", handler));
        }
        return keys;
    }

    @Override
    void generate(final NodeTarget target, final SplittableRandom random, final double[][] values) {
        final double uptimeSeconds = (target.previousTimestamp(0) - target.bootTimeMs()) / 1000.0;
        for (int handler = 0; handler < HANDLERS.length; handler++) {
            final boolean query = handler == 0;
            final double medianSeconds = query ? Sampling.logNormal(random, 0.06, 0.3) : 0.004;
            final double sigma = query ? 1.3 : 0.5;
            final long[] buckets = new long[BUCKETS];
            final long initialCount = Math.round(uptimeSeconds * (query ? 0.3 : 1.0 / 15) * random.nextDouble());
            double sum = history(random, medianSeconds, sigma, initialCount, buckets);
            final int base = handler * PER_HANDLER;
            for (int sample = 0; sample < target.samples(); sample++) {
                final double seconds = (target.timestamp(sample) - target.previousTimestamp(sample)) / 1000.0;
                final long requests = query
                    ? (random.nextDouble() < 0.4 ? 0 : Sampling.poisson(random, Sampling.logNormal(random, 6, 0.8)))
                    : Sampling.poisson(random, seconds / 15);
                for (long request = 0; request < requests; request++) {
                    double duration = Sampling.logNormal(random, medianSeconds, sigma);
                    if (random.nextDouble() < 0.005) {
                        duration *= 50;
                    }
                    final long nanos = Math.max(1_000, Math.round(duration * 1e9));
                    final double observed = Sampling.goSeconds(nanos);
                    sum += observed;
                    for (int bucket = firstBucketAtLeast(observed); bucket < BUCKETS; bucket++) {
                        buckets[bucket]++;
                    }
                }
                for (int bucket = 0; bucket < BUCKETS; bucket++) {
                    values[base + bucket][sample] = buckets[bucket];
                }
                values[base + BUCKETS][sample] = buckets[BUCKETS - 1];
                values[base + BUCKETS + 1][sample] = sum;
            }
        }
    }

    /**
     * Fills {@code buckets} with the cumulative counts of {@code count} past requests, shaped like the
     * live ones, and returns their duration sum.
     */
    private static double history(final SplittableRandom random, final double medianSeconds, final double sigma,
                                  final long count, final long[] buckets) {
        final long[] drawn = new long[BUCKETS];
        double drawnSum = 0;
        for (int draw = 0; draw < HISTORY_DRAWS; draw++) {
            final double duration = Sampling.logNormal(random, medianSeconds, sigma);
            drawnSum += duration;
            for (int bucket = firstBucketAtLeast(duration); bucket < BUCKETS; bucket++) {
                drawn[bucket]++;
            }
        }
        for (int bucket = 0; bucket < BUCKETS; bucket++) {
            // Rounding cumulative shares keeps the buckets non-decreasing.
            buckets[bucket] = Math.round((double) count * drawn[bucket] / HISTORY_DRAWS);
        }
        return count * (drawnSum / HISTORY_DRAWS);
    }

    private static int firstBucketAtLeast(final double seconds) {
        int bucket = 0;
        while (bucket < BOUNDS.length && seconds > BOUNDS[bucket]) {
            bucket++;
        }
        return bucket;
    }
}
