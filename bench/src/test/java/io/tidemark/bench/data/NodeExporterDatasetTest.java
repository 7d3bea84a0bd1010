package io.tidemark.bench.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class NodeExporterDatasetTest {
    private static final long SEED = Long.getLong("tidemark.test.seed", System.nanoTime());
    private static final int TARGETS = 3;
    private static final int SAMPLES = 400;
    private static final int PER_TARGET = 163;
    private static List<SeriesData> series;

    @BeforeAll
    static void generate() {
        System.out.println("NodeExporterDatasetTest seed=" + SEED + " (replay with -Dtidemark.test.seed=" + SEED + ")");
        series = SeriesAssertions.all(Datasets.node(SEED, TARGETS, SAMPLES));
    }

    private static List<SeriesData> named(final Predicate<String> metricName) {
        return series.stream().filter(s -> metricName.test(s.metricName())).toList();
    }

    @Test
    void shouldGiveEveryTargetTheSameDistinctSeries() {
        assertThat(series).hasSize(TARGETS * PER_TARGET);
        final Set<Map<String, String>> labelSets = new HashSet<>();
        for (int index = 0; index < series.size(); index++) {
            final SeriesData one = series.get(index);
            final int target = index / PER_TARGET;
            assertThat(one.labels()).containsEntry("job", "node").containsEntry("instance", "10.0.0." + target + ":9100");
            assertThat(one.metricName()).isNotBlank();
            assertThat(one.size()).isEqualTo(SAMPLES);
            assertThat(labelSets.add(one.labels())).as("duplicate labels %s", one.labels()).isTrue();
            final Map<String, String> withoutInstance = new TreeMap<>(one.labels());
            withoutInstance.remove("instance");
            final Map<String, String> firstTarget = new TreeMap<>(series.get(index % PER_TARGET).labels());
            firstTarget.remove("instance");
            if (!one.metricName().equals("node_uname_info")) {
                assertThat(withoutInstance).isEqualTo(firstTarget);
            }
        }
    }

    @Test
    void shouldCountAsDocumentedEightyFourCountersPerTarget() {
        final long counters = series.subList(0, PER_TARGET).stream().map(SeriesData::metricName)
            .filter(name -> name.endsWith("_total") || name.endsWith("_bucket") || name.endsWith("_count")
                || name.endsWith("_sum"))
            .count();
        assertThat(counters).isEqualTo(84);
    }

    @Test
    void shouldShareStrictlyIncreasingScrapeTimestampsWithinATarget() {
        for (int index = 0; index < series.size(); index++) {
            final long[] timestamps = series.get(index).timestamps();
            assertThat(timestamps).as("series %d", index).isEqualTo(series.get(index / PER_TARGET * PER_TARGET).timestamps());
            assertThat(timestamps[0]).isBetween(NodeTarget.START_MS - 10, NodeTarget.START_MS + 15_200);
            for (int i = 1; i < timestamps.length; i++) {
                assertThat(timestamps[i] - timestamps[i - 1]).as("series %d sample %d", index, i).isBetween(14_790L, 15_210L);
            }
        }
        assertThat(series.get(0).timestamps()).isNotEqualTo(series.get(PER_TARGET).timestamps());
    }

    @Test
    void shouldJitterScrapesByAFewMillisecondsAndMakeAboutOneInAHundredLate() {
        final long[] timestamps = Datasets.node(SEED, 1, 20_000).series(0).timestamps();
        final long[] offsets = new long[timestamps.length];
        for (int i = 0; i < timestamps.length; i++) {
            offsets[i] = timestamps[i] - i * 15_000L;
        }
        final long scheduled = Arrays.stream(offsets).sorted().toArray()[offsets.length / 2];
        int late = 0;
        int exact = 0;
        for (final long offset : offsets) {
            final long jitter = offset - scheduled;
            assertThat(jitter).isBetween(-12L, 202L);
            late += jitter > 12 ? 1 : 0;
            exact += jitter == 0 ? 1 : 0;
        }
        assertThat(late).as("late scrapes of 20000").isBetween(100, 330);
        assertThat(exact).as("scrapes on schedule to the ms").isBetween(2_000, 6_000);
    }

    @Test
    void shouldNeverDecreaseCounters() {
        final List<SeriesData> counters = named(name -> name.endsWith("_total") || name.endsWith("_bucket")
            || name.endsWith("_count") || name.endsWith("_sum"));
        assertThat(counters).hasSize(84 * TARGETS);
        int growing = 0;
        for (final SeriesData counter : counters) {
            final double[] values = counter.values();
            for (int i = 1; i < values.length; i++) {
                assertThat(values[i]).as("%s sample %d", counter.labels(), i).isGreaterThanOrEqualTo(values[i - 1]);
            }
            growing += values[values.length - 1] > values[0] ? 1 : 0;
        }
        assertThat(growing).as("counters that grew").isGreaterThan(counters.size() * 3 / 4);
    }

    @Test
    void shouldEmitTwoDecimalSeriesAsExactHundredths() {
        final List<SeriesData> hundredths = named(name -> name.equals("node_cpu_seconds_total")
            || name.startsWith("node_load") || name.equals("process_cpu_seconds_total"));
        assertThat(hundredths).hasSize((32 + 3 + 1) * TARGETS);
        assertExactDecimals(hundredths, 100.0);
    }

    @Test
    void shouldEmitTemperaturesAsExactTenths() {
        assertExactDecimals(named("node_hwmon_temp_celsius"::equals), 10.0);
    }

    private static void assertExactDecimals(final List<SeriesData> decimals, final double scale) {
        int fractional = 0;
        for (final SeriesData one : decimals) {
            for (final double value : one.values()) {
                final double rounded = Math.round(value * scale) / scale;
                assertThat(Double.doubleToRawLongBits(rounded)).as("%s value %s", one.labels(), value)
                    .isEqualTo(Double.doubleToRawLongBits(value));
                fractional += value != Math.rint(value) ? 1 : 0;
            }
        }
        assertThat(fractional).as("values with a fractional part").isGreaterThan(decimals.size() * SAMPLES / 10);
    }

    @Test
    void shouldConvertDiskMillisecondsTheWayNodeExporterDoes() {
        final List<SeriesData> times = named(name -> name.startsWith("node_disk_") && name.endsWith("_seconds_total"));
        assertThat(times).hasSize(6 * TARGETS);
        for (final SeriesData one : times) {
            for (final double value : one.values()) {
                final long millis = Math.round(value * 1000);
                assertThat(Double.doubleToRawLongBits(millis * (1.0 / 1000.0))).as("%s value %s", one.labels(), value)
                    .isEqualTo(Double.doubleToRawLongBits(value));
            }
        }
    }

    @Test
    void shouldCountBytesInWholePagesAndEverythingElseInIntegers() {
        for (final SeriesData one : named(name -> name.endsWith("_bytes") || name.endsWith("_bytes_total"))) {
            final boolean pages = !one.metricName().startsWith("node_network_") && !one.metricName().equals("go_memstats_alloc_bytes");
            for (final double value : one.values()) {
                assertThat(value).as("%s", one.labels()).isEqualTo(Math.rint(value)).isNotNegative();
                if (pages) {
                    assertThat(value % 4096).as("%s value %s", one.labels(), value).isZero();
                }
            }
        }
    }

    @Test
    void shouldKeepHistogramBucketsCumulativeAndInfEqualToCount() {
        for (int target = 0; target < TARGETS; target++) {
            for (final String handler : List.of("/metrics", "/api/v1/query_range")) {
                final int finalTarget = target;
                final List<SeriesData> histogram = series.stream()
                    .filter(s -> s.metricName().startsWith("prometheus_http_request_duration_seconds"))
                    .filter(s -> handler.equals(s.labels().get("handler")))
                    .filter(s -> s.labels().get("instance").equals("10.0.0." + finalTarget + ":9100"))
                    .toList();
                final List<SeriesData> buckets = histogram.stream().filter(s -> s.metricName().endsWith("_bucket")).toList();
                final SeriesData count = histogram.stream().filter(s -> s.metricName().endsWith("_count")).findFirst().orElseThrow();
                assertThat(buckets).hasSize(10);
                assertThat(buckets.get(9).labels()).containsEntry("le", "+Inf");
                assertThat(buckets.get(9).values()).isEqualTo(count.values());
                for (int bucket = 1; bucket < buckets.size(); bucket++) {
                    final double lower = Double.parseDouble(buckets.get(bucket - 1).labels().get("le"));
                    final String upperText = buckets.get(bucket).labels().get("le");
                    assertThat(upperText.equals("+Inf") || Double.parseDouble(upperText) > lower).isTrue();
                    for (int sample = 0; sample < SAMPLES; sample++) {
                        assertThat(buckets.get(bucket).values()[sample]).isGreaterThanOrEqualTo(buckets.get(bucket - 1).values()[sample]);
                    }
                }
            }
        }
    }

    @Test
    void shouldAccountEveryElapsedTickToExactlyOneCpuMode() {
        for (int target = 0; target < TARGETS; target++) {
            final List<SeriesData> targetSeries = series.subList(target * PER_TARGET, (target + 1) * PER_TARGET);
            final long bootMs = 1000 * (long) targetSeries.stream().filter(s -> s.metricName().equals("node_boot_time_seconds"))
                .findFirst().orElseThrow().values()[0];
            for (int cpu = 0; cpu < 4; cpu++) {
                final String cpuLabel = Integer.toString(cpu);
                final List<SeriesData> modes = targetSeries.stream()
                    .filter(s -> s.metricName().equals("node_cpu_seconds_total") && cpuLabel.equals(s.labels().get("cpu")))
                    .toList();
                assertThat(modes).hasSize(8);
                for (int sample = 0; sample < SAMPLES; sample++) {
                    long ticks = 0;
                    for (final SeriesData mode : modes) {
                        ticks += Math.round(mode.values()[sample] * 100);
                    }
                    final long timestamp = modes.get(0).timestamps()[sample];
                    assertThat(ticks).as("target %d cpu %d sample %d", target, cpu, sample)
                        .isEqualTo(Math.floorDiv(timestamp - bootMs, 10));
                }
            }
        }
    }

    @Test
    void shouldKeepConstantSeriesConstant() {
        final Set<String> constants = Set.of("up", "node_memory_MemTotal_bytes", "node_filesystem_size_bytes",
            "node_uname_info", "node_cpu_frequency_max_hertz", "node_boot_time_seconds", "process_start_time_seconds");
        final List<SeriesData> constant = named(constants::contains);
        assertThat(constant).hasSize(12 * TARGETS);
        for (final SeriesData one : constant) {
            assertThat(one.values()).as("%s", one.labels()).containsOnly(one.values()[0]);
        }
        assertThat(named(name -> name.equals("up") || name.equals("node_uname_info")))
            .allSatisfy(one -> assertThat(one.values()).containsOnly(1.0));
    }

    @Test
    void shouldMeasureScrapeDurationsAtFullPrecision() {
        for (final SeriesData one : named(name -> name.endsWith("duration_seconds"))) {
            final long distinct = Arrays.stream(one.values()).distinct().count();
            assertThat(distinct).as("%s", one.labels()).isGreaterThan(SAMPLES * 9L / 10);
            for (final double value : one.values()) {
                assertThat(value).as("%s", one.labels()).isPositive().isLessThan(5.0);
            }
        }
    }

    @Test
    void shouldPrintLoadAveragesLikeProcLoadavg() {
        assertThat(NodeLoadFamily.loadAverageText(0)).isEqualTo(0.0);
        assertThat(NodeLoadFamily.loadAverageText(2048)).isEqualTo(1.0);
        assertThat(NodeLoadFamily.loadAverageText(1024)).isEqualTo(0.5);
        // 0.995 rounds up to 1.00 through the FIXED_1 / 200 bias, as the kernel prints it.
        assertThat(NodeLoadFamily.loadAverageText(2038)).isEqualTo(1.0);
        assertThat(NodeLoadFamily.loadAverageText(3 * 2048 + 1500)).isEqualTo(3.73);
    }
}
