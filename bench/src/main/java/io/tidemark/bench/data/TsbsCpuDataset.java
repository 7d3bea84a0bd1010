package io.tidemark.bench.data;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The TSBS cpu-only use case: per host ten series {@code cpu_usage_user}, {@code cpu_usage_system},
 * ..., {@code cpu_usage_guest_nice}, sampled every 10 s from 2016-01-01T00:00:00Z, the same
 * timestamps for every host. Series {@code i} is metric {@code i % 10} of host {@code i / 10}.
 *
 * <p>Each series is TSBS's clamped random walk: it starts uniformly in {@code [0, 100]}, and each
 * step adds a standard normal draw and clamps to {@code [0, 100]}, at full float64 precision, as the
 * original TSBS generator emitted it (current TSBS truncates cpu-only values to int64 on output).
 * Host labels ({@code hostname="host_<n>"}, region, datacenter, rack, os, arch, team, service,
 * service_version, service_environment) are drawn per host from the TSBS choice lists.
 */
final class TsbsCpuDataset implements Dataset {
    static final long START_MS = 1_451_606_400_000L;
    static final long INTERVAL_MS = 10_000L;
    static final String[] METRICS = {
        "cpu_usage_user", "cpu_usage_system", "cpu_usage_idle", "cpu_usage_nice", "cpu_usage_iowait",
        "cpu_usage_irq", "cpu_usage_softirq", "cpu_usage_steal", "cpu_usage_guest", "cpu_usage_guest_nice",
    };
    private static final String[][] REGIONS = {
        {"us-east-1", "us-east-1a", "us-east-1b", "us-east-1c", "us-east-1e"},
        {"us-west-1", "us-west-1a", "us-west-1b"},
        {"us-west-2", "us-west-2a", "us-west-2b", "us-west-2c"},
        {"eu-west-1", "eu-west-1a", "eu-west-1b", "eu-west-1c"},
        {"eu-central-1", "eu-central-1a", "eu-central-1b"},
        {"ap-southeast-1", "ap-southeast-1a", "ap-southeast-1b"},
        {"ap-southeast-2", "ap-southeast-2a", "ap-southeast-2b"},
        {"ap-northeast-1", "ap-northeast-1a", "ap-northeast-1c"},
        {"sa-east-1", "sa-east-1a", "sa-east-1b", "sa-east-1c"},
    };
    private static final String[] TEAMS = {"SF", "NYC", "LON", "CHI"};
    private static final String[] OPERATING_SYSTEMS = {"Ubuntu16.10", "Ubuntu16.04LTS", "Ubuntu15.10"};
    private static final String[] ARCHITECTURES = {"x64", "x86"};
    private static final String[] ENVIRONMENTS = {"production", "staging", "test"};
    private static final long STREAM_HOST_LABELS = 0;
    private static final long FIRST_METRIC_STREAM = 1;

    private final long seed;
    private final int hosts;
    private final int samplesPerSeries;
    private final int seriesCount;

    TsbsCpuDataset(final long seed, final int hosts, final int samplesPerSeries) {
        this.seriesCount = Datasets.checkedSeriesCount("hosts", hosts, METRICS.length, samplesPerSeries);
        this.seed = seed;
        this.hosts = hosts;
        this.samplesPerSeries = samplesPerSeries;
    }

    @Override
    public String name() {
        return Datasets.TSBS;
    }

    @Override
    public int seriesCount() {
        return seriesCount;
    }

    @Override
    public SeriesData series(final int index) {
        if (index < 0 || index >= seriesCount) {
            throw new IndexOutOfBoundsException("series out of range: index=" + index + " seriesCount=" + seriesCount);
        }
        final int host = index / METRICS.length;
        final int metric = index % METRICS.length;
        final Map<String, String> labels = hostLabels(host);
        labels.put(SeriesData.METRIC_NAME_LABEL, METRICS[metric]);
        final long[] timestamps = new long[samplesPerSeries];
        final double[] values = new double[samplesPerSeries];
        final SplittableRandom random = RandomStreams.of(seed, host, FIRST_METRIC_STREAM + metric);
        double state = random.nextDouble() * 100.0;
        for (int sample = 0; sample < samplesPerSeries; sample++) {
            if (sample > 0) {
                state = Math.max(0.0, Math.min(100.0, state + random.nextGaussian()));
            }
            timestamps[sample] = START_MS + sample * INTERVAL_MS;
            values[sample] = state;
        }
        return new SeriesData(labels, timestamps, values);
    }

    private Map<String, String> hostLabels(final int host) {
        final SplittableRandom random = RandomStreams.of(seed, host, STREAM_HOST_LABELS);
        final String[] region = REGIONS[random.nextInt(REGIONS.length)];
        final Map<String, String> labels = new TreeMap<>();
        labels.put("hostname", "host_" + host);
        labels.put("region", region[0]);
        labels.put("datacenter", region[1 + random.nextInt(region.length - 1)]);
        labels.put("rack", Integer.toString(random.nextInt(100)));
        labels.put("arch", ARCHITECTURES[random.nextInt(ARCHITECTURES.length)]);
        labels.put("os", OPERATING_SYSTEMS[random.nextInt(OPERATING_SYSTEMS.length)]);
        labels.put("service", Integer.toString(random.nextInt(20)));
        labels.put("service_version", Integer.toString(random.nextInt(2)));
        labels.put("service_environment", ENVIRONMENTS[random.nextInt(ENVIRONMENTS.length)]);
        labels.put("team", TEAMS[random.nextInt(TEAMS.length)]);
        return labels;
    }

    @Override
    public String toString() {
        return "TsbsCpuDataset{seed=" + seed + ", hosts=" + hosts + ", samplesPerSeries=" + samplesPerSeries + '}';
    }
}
