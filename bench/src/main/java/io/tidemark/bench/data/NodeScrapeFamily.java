package io.tidemark.bench.data;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The series about the scrape itself: Prometheus's synthetic {@code up}, {@code scrape_duration_seconds},
 * {@code scrape_samples_scraped}, {@code scrape_samples_post_metric_relabeling} and
 * {@code scrape_series_added}, and node_exporter's {@code node_scrape_collector_duration_seconds} and
 * {@code node_scrape_collector_success} for ten collectors.
 *
 * <p>Durations are measured in nanoseconds and exposed through Go's {@code Duration.Seconds()}, so
 * they are full-precision floats. Collectors run concurrently, so the scrape takes as long as the
 * slowest one plus encoding and network time. The sample count of a target changes only when, rarely,
 * a series appears or goes away.
 */
final class NodeScrapeFamily extends NodeSeriesFamily {
    private static final String[] COLLECTORS = {
        "cpu", "diskstats", "filesystem", "hwmon", "loadavg", "meminfo", "netdev", "stat", "time", "uname",
    };
    private static final double[] MEDIAN_SECONDS = {
        0.0005, 0.0008, 0.0015, 0.008, 0.0001, 0.0003, 0.0004, 0.0003, 0.00003, 0.00002,
    };
    private static final int UP = 0;
    private static final int SCRAPE_DURATION = 1;
    private static final int SAMPLES_POST_RELABELING = 2;
    private static final int SAMPLES_SCRAPED = 3;
    private static final int SERIES_ADDED = 4;
    private static final int FIRST_COLLECTOR = 5;

    NodeScrapeFamily() {
        super(keys());
    }

    private static List<SeriesKey> keys() {
        final List<SeriesKey> keys = new ArrayList<>();
        keys.add(new SeriesKey("up"));
        keys.add(new SeriesKey("scrape_duration_seconds"));
        keys.add(new SeriesKey("scrape_samples_post_metric_relabeling"));
        keys.add(new SeriesKey("scrape_samples_scraped"));
        keys.add(new SeriesKey("scrape_series_added"));
        for (final String collector : COLLECTORS) {
            keys.add(new SeriesKey("node_scrape_collector_duration_seconds", "collector", collector));
        }
        for (final String collector : COLLECTORS) {
            keys.add(new SeriesKey("node_scrape_collector_success", "collector", collector));
        }
        return keys;
    }

    @Override
    void generate(final NodeTarget target, final SplittableRandom random, final double[][] values) {
        final double[] medians = new double[COLLECTORS.length];
        for (int collector = 0; collector < COLLECTORS.length; collector++) {
            medians[collector] = Sampling.logNormal(random, MEDIAN_SECONDS[collector], 0.3);
        }
        long samplesScraped = random.nextLong(900, 1_500);
        for (int sample = 0; sample < target.samples(); sample++) {
            long slowestNanos = 0;
            for (int collector = 0; collector < COLLECTORS.length; collector++) {
                double seconds = Sampling.logNormal(random, medians[collector] * (0.8 + target.busy(sample)), 0.35);
                if (random.nextDouble() < 0.003) {
                    seconds *= 20;
                }
                final long nanos = Math.max(500, Math.round(seconds * 1e9));
                slowestNanos = Math.max(slowestNanos, nanos);
                values[FIRST_COLLECTOR + collector][sample] = Sampling.goSeconds(nanos);
                values[FIRST_COLLECTOR + COLLECTORS.length + collector][sample] = 1;
            }
            long added = 0;
            if (random.nextDouble() < 0.002) {
                final long change = random.nextLong(-3, 9);
                samplesScraped += change;
                added = Math.max(0, change);
            }
            final double overheadSeconds = Sampling.logNormal(random, 0.0025, 0.4);
            values[UP][sample] = 1;
            values[SCRAPE_DURATION][sample] = Sampling.goSeconds(slowestNanos + Math.round(overheadSeconds * 1e9));
            values[SAMPLES_POST_RELABELING][sample] = samplesScraped;
            values[SAMPLES_SCRAPED][sample] = samplesScraped;
            values[SERIES_ADDED][sample] = added;
        }
    }
}
