package io.tidemark.promql.diff;

import java.util.ArrayList;
import java.util.List;

/**
 * The queries of the differential test, over {@link DiffDataset}: each expression is asked as an instant query at
 * one of a few chosen times (in turn) and, when its type allows, as a range query with each of three step settings.
 *
 * <p>Only what Prometheus 2.42 evaluates is here. Left out because 2.42 cannot do them: the Prometheus 3 functions
 * and aggregations ({@code double_exponential_smoothing}, {@code mad_over_time}, {@code sort_by_label},
 * {@code limitk}, {@code limit_ratio}, {@code ts_of_*_over_time}, {@code info}, {@code histogram_*} of native
 * histograms) and the experimental syntax (duration expressions, {@code anchored}/{@code smoothed}, {@code fill}).
 */
final class DiffQueries {
    private static final long S = DiffDataset.START_MILLIS;
    private static final long MIN = 60_000L;

    /** Instant times: on a scrape slot, between slots, in instance 2's gap, just after instance 1's restart,
     *  the last sample, after {@code node_procs_running} ended, exactly 5 m after instance 2's last sample
     *  before its gap (in the closed lookback window of Prometheus 2, not in Prometheus 3's). */
    static final long[] INSTANT_TIMES = {S + 150 * MIN, S + 120 * MIN + 7_000, S + 80 * MIN,
        S + 125 * MIN + 30_000, DiffDataset.END_MILLIS, S + 183 * MIN, S + 4_785_000L};

    /** Range settings {start, end, step}: minute steps over most of the data, 15 s steps on the scrape grid,
     *  37 s steps off the grid. */
    static final long[][] RANGES = {{S + 20 * MIN, DiffDataset.END_MILLIS, MIN},
        {S + 60 * MIN, S + 150 * MIN, 15_000L}, {S + 70 * MIN + 3_000, S + 190 * MIN, 37_000L}};

    /** One query to ask both engines. */
    record Query(int id, String expr, boolean range, long start, long end, long step) {
        String describe() {
            return range
                ? "range " + expr + " start=" + PrometheusPeer.seconds(start) + " end=" + PrometheusPeer.seconds(end)
                    + " step=" + step / 1000.0 + "s"
                : "instant " + expr + " time=" + PrometheusPeer.seconds(start);
        }
    }

    private DiffQueries() {
    }

    static List<Query> all() {
        final List<String> vectors = new ArrayList<>();
        final List<String> instantOnly = new ArrayList<>();
        selectors(vectors, instantOnly);
        rangeFunctions(vectors);
        aggregations(vectors);
        binaryOperators(vectors);
        histograms(vectors);
        subqueriesAndModifiers(vectors, instantOnly);
        functions(vectors, instantOnly);
        final List<Query> out = new ArrayList<>();
        int i = 0;
        for (final String e : vectors) {
            out.add(new Query(out.size(), e, false, INSTANT_TIMES[i % INSTANT_TIMES.length], 0, 0));
            for (final long[] r : RANGES) {
                out.add(new Query(out.size(), e, true, r[0], r[1], r[2]));
            }
            i++;
        }
        for (final String e : instantOnly) {
            out.add(new Query(out.size(), e, false, INSTANT_TIMES[i % INSTANT_TIMES.length], 0, 0));
            i++;
        }
        return out;
    }

    private static void selectors(final List<String> v, final List<String> instantOnly) {
        v.add("node_load1");
        v.add("up");
        v.add("node_cpu_seconds_total{mode=\"idle\"}");
        v.add("node_cpu_seconds_total{mode!=\"idle\",cpu=\"1\"}");
        v.add("{__name__=~\"node_memory_.*\"}");
        v.add("node_network_receive_bytes_total{device=~\"eth.*\"}");
        v.add("node_filesystem_avail_bytes{mountpoint!~\"/home\"}");
        v.add("node_forks_total");
        v.add("node_procs_running");
        v.add("node_hwmon_temp_celsius");
        v.add("http_request_duration_seconds_bucket{le=\"+Inf\"}");
        v.add("node_load1 offset 10m");
        v.add("node_load1 offset -5m");
        v.add("no_such_metric");
        for (final String sel : new String[] {"node_load1[1m]", "node_hwmon_temp_celsius[2m]", "up[45s]",
            "node_procs_running[5m]", "node_forks_total[3m] offset 1m", "node_cpu_seconds_total{cpu=\"0\"}[1m]"}) {
            instantOnly.add(sel);
        }
    }

    private static void rangeFunctions(final List<String> v) {
        final String[] counters = {"node_cpu_seconds_total{mode=\"user\"}", "node_network_receive_bytes_total",
            "http_request_duration_seconds_count", "node_forks_total", "node_disk_read_bytes_total"};
        final String[] ranges = {"1m", "5m", "1h"};
        for (final String f : new String[] {"rate", "increase", "irate", "resets", "changes"}) {
            for (final String c : counters) {
                for (final String r : ranges) {
                    v.add(f + "(" + c + "[" + r + "])");
                }
            }
        }
        final String[] gauges = {"node_load1", "node_memory_MemAvailable_bytes", "node_hwmon_temp_celsius",
            "node_procs_running"};
        for (final String f : new String[] {"avg_over_time", "min_over_time", "max_over_time", "sum_over_time",
            "count_over_time", "last_over_time", "stddev_over_time", "stdvar_over_time", "present_over_time",
            "delta", "idelta", "deriv"}) {
            for (final String g : gauges) {
                for (final String r : new String[] {"5m", "30m"}) {
                    v.add(f + "(" + g + "[" + r + "])");
                }
            }
        }
        for (final String g : gauges) {
            v.add("quantile_over_time(0.9, " + g + "[10m])");
            v.add("predict_linear(" + g + "[30m], 3600)");
            v.add("holt_winters(" + g + "[10m], 0.5, 0.5)");
        }
        v.add("quantile_over_time(0, node_load1[10m])");
        v.add("quantile_over_time(1.5, node_load1[10m])");
        v.add("absent_over_time(node_load1[5m])");
        v.add("absent_over_time(no_such_metric{job=\"x\"}[5m])");
        v.add("rate(node_load1[15s])");
        v.add("rate(node_cpu_seconds_total[30s])");
        // Counters that start inside the window (extrapolation towards zero) and one that restarts.
        v.add("increase(node_forks_total[5m])");
        v.add("rate(node_forks_total[2m])");
        v.add("increase(http_request_duration_seconds_count{instance=\"host-1:9100\"}[10m])");
        v.add("irate(node_network_transmit_bytes_total[1m])");
        v.add("idelta(node_cpu_seconds_total{mode=\"idle\"}[1m])");
    }

    private static void aggregations(final List<String> v) {
        final String cpu = "rate(node_cpu_seconds_total[5m])";
        v.add("sum by (instance) (" + cpu + ")");
        v.add("sum without (cpu) (" + cpu + ")");
        v.add("sum by (instance) (rate(node_cpu_seconds_total{mode!=\"idle\"}[5m]))");
        v.add("avg by (mode) (" + cpu + ")");
        v.add("max by (instance) (node_load1)");
        v.add("min without (instance) (node_load1)");
        v.add("count by (mode) (node_cpu_seconds_total)");
        v.add("count(up)");
        v.add("group by (instance) (node_cpu_seconds_total)");
        v.add("stddev by (instance) (" + cpu + ")");
        v.add("stdvar(node_load1)");
        v.add("sum(node_memory_MemAvailable_bytes)");
        v.add("avg(node_hwmon_temp_celsius)");
        v.add("topk(3, " + cpu + ")");
        v.add("topk by (instance) (1, " + cpu + ")");
        v.add("bottomk(2, node_load1)");
        v.add("quantile(0.5, " + cpu + ")");
        v.add("quantile by (instance) (0.9, " + cpu + ")");
        v.add("count_values(\"value\", up)");
        v.add("count_values by (instance) (\"cpus\", count by (instance, cpu) (node_cpu_seconds_total))");
        v.add("sum(rate(node_network_receive_bytes_total[5m])) by (device)");
        v.add("max(node_procs_running) without (job)");
    }

    private static void binaryOperators(final List<String> v) {
        v.add("node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes");
        v.add("1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes");
        v.add("100 * (1 - node_filesystem_avail_bytes / on(instance, mountpoint) node_filesystem_size_bytes)");
        v.add("sum by (instance) (rate(node_cpu_seconds_total{mode!=\"idle\"}[5m])) / on(instance) "
            + "count by (instance) (node_cpu_seconds_total{mode=\"idle\"})");
        v.add("rate(node_cpu_seconds_total[5m]) / on(instance) group_left count by (instance) "
            + "(node_cpu_seconds_total{mode=\"idle\"})");
        v.add("node_memory_MemTotal_bytes * on(instance) group_right node_cpu_seconds_total{mode=\"idle\"}");
        v.add("node_load1 > 2");
        v.add("node_load1 > bool 2");
        v.add("2 < node_load1");
        v.add("node_load1 == node_load1");
        v.add("up and node_load1 > 2");
        v.add("node_load1 or node_procs_running");
        v.add("node_load1 unless node_procs_running");
        v.add("node_procs_running unless on(instance) node_forks_total");
        v.add("rate(node_network_receive_bytes_total[5m]) * 8");
        v.add("-node_load1");
        v.add("node_load1 ^ 2");
        v.add("node_load1 % 0.7");
        v.add("node_load1 atan2 node_procs_running");
        v.add("node_load1 + ignoring(job) up");
        v.add("node_cpu_seconds_total + on(instance) node_load1");
        v.add("node_load1 + on(job) node_load1");
        v.add("node_network_receive_bytes_total - ignoring(device) group_left node_disk_read_bytes_total");
        v.add("1 + 2 * 3");
        v.add("2 ^ 3 ^ 2");
        v.add("time() - 1700000000");
        v.add("scalar(sum(up)) * node_load1");
        v.add("node_load1 / 0");
        v.add("-node_load1 / 0");
        v.add("(node_load1 - node_load1) / (node_load1 - node_load1)");
    }

    private static void histograms(final List<String> v) {
        final String bucket = "http_request_duration_seconds_bucket";
        for (final String q : new String[] {"0.5", "0.9", "0.99", "0", "1", "-1", "2"}) {
            v.add("histogram_quantile(" + q + ", sum by (le) (rate(" + bucket + "[5m])))");
        }
        v.add("histogram_quantile(0.9, sum by (le, handler) (rate(" + bucket + "[10m])))");
        v.add("histogram_quantile(0.5, rate(" + bucket + "[1m]))");
        v.add("histogram_quantile(0.75, " + bucket + ")");
        v.add("histogram_quantile(0.9, sum without (instance) (increase(" + bucket + "[1h])))");
        v.add("rate(http_request_duration_seconds_sum[5m]) / rate(http_request_duration_seconds_count[5m])");
    }

    private static void subqueriesAndModifiers(final List<String> v, final List<String> instantOnly) {
        v.add("max_over_time(rate(node_cpu_seconds_total{mode=\"user\"}[5m])[30m:1m])");
        v.add("avg_over_time(node_load1[1h:5m])");
        v.add("min_over_time(sum(node_load1)[15m:30s])");
        v.add("deriv(node_load1[10m:1m])");
        v.add("rate(node_forks_total[20m:2m])");
        v.add("max_over_time(node_load1[10m:])");
        v.add("sum_over_time(node_load1[7m:45s] offset 3m)");
        v.add("node_load1 @ 1700003600");
        v.add("rate(node_cpu_seconds_total{mode=\"system\"}[5m] @ 1700007200)");
        v.add("sum(node_load1 @ end())");
        v.add("node_load1 @ start()");
        v.add("node_load1 offset 1h");
        v.add("increase(node_network_transmit_bytes_total[10m] offset 30m)");
        v.add("avg_over_time(node_load1[5m] @ 1700005000 offset 2m)");
        instantOnly.add("rate(http_request_duration_seconds_count[5m])[20m:]");
        instantOnly.add("node_load1[10m:2m]");
        instantOnly.add("node_load1[5m] @ 1700003600");
        instantOnly.add("\"a string\"");
        instantOnly.add("42");
    }

    private static void functions(final List<String> v, final List<String> instantOnly) {
        for (final String f : new String[] {"abs", "ceil", "floor", "round", "exp", "ln", "log2", "log10", "sqrt",
            "sgn", "deg", "rad", "sin", "cos", "tan", "asin", "acosh", "atanh", "sinh"}) {
            v.add(f + "(node_load1 - 3)");
        }
        v.add("round(node_load1, 0.5)");
        v.add("clamp(node_load1, 1.5, 3)");
        v.add("clamp_min(node_load1, 2)");
        v.add("clamp_max(node_load1, 2)");
        v.add("clamp(node_load1, 3, 1)");
        v.add("scalar(sum(up))");
        v.add("scalar(node_load1)");
        v.add("vector(1)");
        v.add("vector(time())");
        v.add("time()");
        v.add("pi()");
        v.add("timestamp(node_load1)");
        v.add("timestamp(node_load1 offset 1m)");
        v.add("label_replace(node_load1, \"host\", \"$1\", \"instance\", \"(.*):.*\")");
        v.add("label_replace(node_load1, \"instance\", \"\", \"instance\", \".*\")");
        v.add("label_join(up, \"both\", \"/\", \"instance\", \"job\")");
        v.add("sort(node_load1)");
        v.add("sort_desc(node_load1)");
        v.add("absent(no_such_metric{job=\"node\"})");
        v.add("absent(node_load1)");
        v.add("absent(nonexistent{a=~\"b.*\"})");
        for (final String f : new String[] {"day_of_month", "day_of_week", "day_of_year", "days_in_month", "hour",
            "minute", "month", "year"}) {
            v.add(f + "()");
            v.add(f + "(timestamp(up))");
        }
        v.add("rate(node_load1[5m]) + on() group_left vector(0)");
        // Where the metric name goes: functions and operators drop it, label_replace can set it again.
        v.add("label_replace(rate(node_forks_total[5m]), \"__name__\", \"forks_rate\", \"\", \"\")");
        v.add("label_replace(node_load1, \"__name__\", \"load\", \"\", \"\")");
        v.add("rate({__name__=~\"node_network_(receive|transmit)_bytes_total\"}[5m])");
        v.add("{__name__=~\"node_load1|node_procs_running\"} * 2");
        v.add("sum by (__name__) ({__name__=~\"node_load1|node_procs_running\"})");
        v.add("max without (instance) ({__name__=~\"node_memory_.*\"})");
        v.add("quantile(0.5, node_hwmon_temp_celsius)");
        v.add("topk(2, node_hwmon_temp_celsius)");
        instantOnly.add("scalar(node_load1 @ 1700003600)");
        misc(v);
    }

    private static void misc(final List<String> v) {
        v.add("count_values(\"load\", node_load1)");
        v.add("count_values(\"bytes\", node_memory_MemTotal_bytes)");
        v.add("changes(node_hwmon_temp_celsius[10m])");
        v.add("resets(node_hwmon_temp_celsius[10m])");
        v.add("avg(node_memory_MemTotal_bytes)");
        v.add("stddev(node_memory_MemAvailable_bytes)");
        v.add("stdvar by (job) (node_filesystem_avail_bytes)");
        v.add("node_filesystem_avail_bytes * on(instance) group_left(chip) node_hwmon_temp_celsius");
        v.add("node_load1 * on(instance) group_right node_filesystem_size_bytes");
        v.add("node_load1 * on(instance) group_left node_filesystem_size_bytes");
        v.add("node_hwmon_temp_celsius != node_hwmon_temp_celsius");
        v.add("bottomk(1, node_hwmon_temp_celsius)");
        v.add("rate(node_cpu_seconds_total{mode=\"user\"}[4h])");
        v.add("max_over_time(rate(node_network_receive_bytes_total{device=\"eth0\"}[5m])[1h:1m])");
        v.add("predict_linear(node_memory_MemAvailable_bytes[1h], -600)");
        v.add("holt_winters(node_load1[10m], 1.5, 0.5)");
        v.add("round(node_load1, 0.3)");
        v.add("absent(node_load1{instance=\"nope\", job=\"node\"})");
        v.add("label_replace(up, \"port\", \"${1}\", \"instance\", \"[^:]+:([0-9]+)\")");
        v.add("label_replace(up, \"port\", \"$1\", \"instance\", \"nomatch(.*)\")");
        v.add("sum(rate(http_request_duration_seconds_count[5m])) * 60");
        v.add("rate(node_load1)");
        v.add("sum(");
    }
}
