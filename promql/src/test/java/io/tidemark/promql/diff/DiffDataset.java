package io.tidemark.promql.diff;

import io.tidemark.promql.eval.Labels;
import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A small, deterministic node_exporter-like dataset for the differential test: a few instances scraped every
 * 15 s for a few hours, with counters that reset (an instance restarts), gauges, a classic histogram with
 * {@code le} buckets, a plain NaN now and then, a scrape gap longer than the lookback delta, a series that
 * starts late and one that ends early.
 *
 * <p>Timestamps are whole seconds (in milliseconds) so that the OpenMetrics text, which carries seconds as a
 * decimal, converts back to exactly the same milliseconds in Prometheus. Values are printed with Java's shortest
 * round-tripping decimal, so Prometheus parses exactly the doubles Tidemark stores.
 */
final class DiffDataset {
    /** 2023-11-14T22:13:20Z, a whole multiple of 2 h plus 1h13m20s, so blocks and windows do not align. */
    static final long START_MILLIS = 1_700_000_000_000L;
    static final long INTERVAL_MILLIS = 15_000L;
    static final int SAMPLES = 4 * 240;
    static final long END_MILLIS = START_MILLIS + (SAMPLES - 1) * INTERVAL_MILLIS;
    private static final String[] MODES = {"idle", "user", "system", "iowait"};
    private static final String[] LE = {"0.05", "0.1", "0.25", "0.5", "1", "2.5", "+Inf"};
    private static final double[] LE_BOUNDS = {0.05, 0.1, 0.25, 0.5, 1, 2.5, Double.POSITIVE_INFINITY};
    private static final String[] HANDLERS = {"/api/v1/query", "/metrics"};
    private static final int INSTANCES = 4;

    /** One series: labels (with {@code __name__}) and its samples; a NaN timestamp slot is never used. */
    record Series(Labels labels, long[] timestamps, double[] values) {
    }

    private final List<Series> series = new ArrayList<>();

    DiffDataset(final long seed) {
        for (int i = 0; i < INSTANCES; i++) {
            addInstance(seed, i);
        }
    }

    List<Series> series() {
        return series;
    }

    int sampleCount() {
        return series.stream().mapToInt(s -> s.timestamps().length).sum();
    }

    private void addInstance(final long seed, final int index) {
        final SplittableRandom random = new SplittableRandom(seed * 31 + index);
        final String instance = "host-" + index + ":9100";
        // Instance 1 restarts at sample 500 (counters start again from small values); instance 2 misses
        // 40 scrapes (10 minutes, longer than the 5 m lookback) from sample 300.
        final int restartAt = index == 1 ? 500 : -1;
        final boolean[] scraped = new boolean[SAMPLES];
        for (int k = 0; k < SAMPLES; k++) {
            scraped[k] = index != 2 || k < 300 || k >= 340;
        }
        final long[] ts = new long[SAMPLES];
        for (int k = 0; k < SAMPLES; k++) {
            // Jitter of a whole second now and then, as a late scrape would have.
            ts[k] = START_MILLIS + k * INTERVAL_MILLIS + (random.nextInt(10) == 0 ? 1000 : 0);
        }
        for (int cpu = 0; cpu < 2; cpu++) {
            for (final String mode : MODES) {
                final double rate = mode.equals("idle") ? 0.7 : 0.02 + random.nextDouble() * 0.2;
                add(ts, scraped, counter(random, restartAt, rate * 15, 0.01, 1e5 * random.nextDouble()),
                    "node_cpu_seconds_total", "cpu", Integer.toString(cpu), "instance", instance, "job", "node",
                    "mode", mode);
            }
        }
        final double total = (8 + 8 * index) * 1024.0 * 1024 * 1024;
        add(ts, scraped, constant(total), "node_memory_MemTotal_bytes", "instance", instance, "job", "node");
        add(ts, scraped, gauge(random, total * 0.6, total * 0.02, 4096, false), "node_memory_MemAvailable_bytes",
            "instance", instance, "job", "node");
        add(ts, scraped, gauge(random, 1 + index, 0.3, 0.01, false), "node_load1", "instance", instance,
            "job", "node");
        add(ts, scraped, gauge(random, 45 + index, 2, 1, index == 3), "node_hwmon_temp_celsius", "chip", "cpu",
            "instance", instance, "job", "node");
        for (final String device : new String[] {"eth0", "lo"}) {
            final double bytes = device.equals("lo") ? 2e3 : 1.5e5 * (index + 1);
            add(ts, scraped, counter(random, restartAt, bytes, 1, 1e9 * random.nextDouble()),
                "node_network_receive_bytes_total", "device", device, "instance", instance, "job", "node");
            add(ts, scraped, counter(random, restartAt, bytes / 3, 1, 1e8 * random.nextDouble()),
                "node_network_transmit_bytes_total", "device", device, "instance", instance, "job", "node");
        }
        add(ts, scraped, counter(random, restartAt, 4096 * 50, 4096, 0), "node_disk_read_bytes_total",
            "device", "sda", "instance", instance, "job", "node");
        for (final String mount : new String[] {"/", "/home"}) {
            final double size = mount.equals("/") ? 5e10 : 2e11;
            add(ts, scraped, constant(size), "node_filesystem_size_bytes", "instance", instance, "job", "node",
                "mountpoint", mount);
            add(ts, scraped, gauge(random, size * 0.4, size * 0.001, 4096, false), "node_filesystem_avail_bytes",
                "instance", instance, "job", "node", "mountpoint", mount);
        }
        add(ts, scraped, constant(1), "up", "instance", instance, "job", "node");
        for (final String handler : HANDLERS) {
            addHistogram(random, ts, scraped, restartAt, instance, handler);
        }
        // A series that only starts half-way through, and one that ends an hour before the others.
        final boolean[] late = new boolean[SAMPLES];
        final boolean[] early = new boolean[SAMPLES];
        for (int k = 0; k < SAMPLES; k++) {
            late[k] = scraped[k] && k >= SAMPLES / 2 + 7 * index;
            early[k] = scraped[k] && k < SAMPLES - 240 - 5 * index;
        }
        add(ts, late, counter(random, -1, 3, 1, 0), "node_forks_total", "instance", instance, "job", "node");
        add(ts, early, gauge(random, 10, 3, 1, false), "node_procs_running", "instance", instance, "job", "node");
    }

    private void addHistogram(final SplittableRandom random, final long[] ts, final boolean[] scraped,
                              final int restartAt, final String instance, final String handler) {
        final double[][] buckets = new double[LE.length][SAMPLES];
        final double[] sum = new double[SAMPLES];
        final double scale = handler.equals("/metrics") ? 0.2 : 1.0;
        for (int k = 0; k < SAMPLES; k++) {
            final boolean reset = k == restartAt;
            final int requests = random.nextInt(20);
            for (int b = 0; b < LE.length; b++) {
                buckets[b][k] = k == 0 || reset ? 0 : buckets[b][k - 1];
            }
            sum[k] = k == 0 || reset ? 0 : sum[k - 1];
            for (int r = 0; r < requests; r++) {
                final double latency = -Math.log(1 - random.nextDouble()) * 0.3 * scale;
                sum[k] += Math.round(latency * 1e6) / 1e6;
                for (int b = 0; b < LE.length; b++) {
                    if (latency <= LE_BOUNDS[b]) {
                        buckets[b][k]++;
                    }
                }
            }
        }
        final String name = "http_request_duration_seconds";
        for (int b = 0; b < LE.length; b++) {
            add(ts, scraped, buckets[b], name + "_bucket", "handler", handler, "instance", instance, "job", "node",
                "le", LE[b]);
        }
        add(ts, scraped, buckets[LE.length - 1], name + "_count", "handler", handler, "instance", instance,
            "job", "node");
        add(ts, scraped, sum, name + "_sum", "handler", handler, "instance", instance, "job", "node");
    }

    private static double[] counter(final SplittableRandom random, final int restartAt, final double meanStep,
                                    final double quantum, final double initial) {
        final double[] v = new double[SAMPLES];
        double value = Math.round(initial / quantum) * quantum;
        for (int k = 0; k < SAMPLES; k++) {
            if (k == restartAt) {
                value = 0;
            }
            value += Math.round(meanStep * 2 * random.nextDouble() / quantum) * quantum;
            // Keep decimals short and exact-looking, as exporters print them.
            v[k] = quantum < 1 ? Math.round(value * 100) / 100.0 : value;
        }
        return v;
    }

    private static double[] gauge(final SplittableRandom random, final double mean, final double spread,
                                  final double quantum, final boolean withNaN) {
        final double[] v = new double[SAMPLES];
        double value = mean;
        for (int k = 0; k < SAMPLES; k++) {
            value += (random.nextDouble() - 0.5) * spread + (mean - value) * 0.05;
            v[k] = withNaN && k % 97 == 13 ? Double.NaN : Math.round(value / quantum) * quantum;
        }
        return v;
    }

    private static double[] constant(final double value) {
        final double[] v = new double[SAMPLES];
        java.util.Arrays.fill(v, value);
        return v;
    }

    private void add(final long[] ts, final boolean[] present, final double[] values, final String name,
                     final String... labels) {
        int n = 0;
        for (final boolean p : present) {
            n += p ? 1 : 0;
        }
        final long[] t = new long[n];
        final double[] v = new double[n];
        int j = 0;
        for (int k = 0; k < SAMPLES; k++) {
            if (present[k]) {
                t[j] = ts[k];
                v[j] = values[k];
                j++;
            }
        }
        final String[] all = new String[labels.length + 2];
        all[0] = Labels.NAME;
        all[1] = name;
        System.arraycopy(labels, 0, all, 2, labels.length);
        series.add(new Series(Labels.of(all), t, v));
    }

    /** Writes every sample as OpenMetrics text, scrape by scrape (time-major), ending with {@code # EOF}. */
    void writeOpenMetrics(final Writer out) throws IOException {
        final int[] next = new int[series.size()];
        final StringBuilder line = new StringBuilder(256);
        for (int k = 0; k < SAMPLES; k++) {
            final long slotEnd = START_MILLIS + (k + 1) * INTERVAL_MILLIS;
            for (int s = 0; s < series.size(); s++) {
                final Series one = series.get(s);
                while (next[s] < one.timestamps().length && one.timestamps()[next[s]] < slotEnd) {
                    line.setLength(0);
                    appendSample(line, one.labels(), one.timestamps()[next[s]], one.values()[next[s]]);
                    out.write(line.toString());
                    next[s]++;
                }
            }
        }
        out.write("# EOF\n");
    }

    private static void appendSample(final StringBuilder line, final Labels labels, final long ts,
                                     final double value) {
        line.append(labels.get(Labels.NAME)).append('{');
        boolean first = true;
        for (int i = 0; i < labels.size(); i++) {
            if (labels.name(i).equals(Labels.NAME)) {
                continue;
            }
            if (!first) {
                line.append(',');
            }
            first = false;
            line.append(labels.name(i)).append("=\"").append(labels.value(i)).append('"');
        }
        line.append("} ").append(format(value)).append(' ').append(ts / 1000).append('\n');
    }

    /** The shortest decimal that parses back to {@code value}, without an exponent. */
    static String format(final double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        final String s = Double.toString(value);
        return s.indexOf('E') < 0 ? s : new BigDecimal(s).toPlainString();
    }
}
