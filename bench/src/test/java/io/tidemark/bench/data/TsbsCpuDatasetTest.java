package io.tidemark.bench.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TsbsCpuDatasetTest {
    private static final long SEED = Long.getLong("tidemark.test.seed", System.nanoTime());
    private static final int HOSTS = 20;
    private static final int SAMPLES = 500;
    private static List<SeriesData> series;

    @BeforeAll
    static void generate() {
        System.out.println("TsbsCpuDatasetTest seed=" + SEED + " (replay with -Dtidemark.test.seed=" + SEED + ")");
        series = SeriesAssertions.all(Datasets.tsbs(SEED, HOSTS, SAMPLES));
    }

    @Test
    void shouldLabelTenCpuMetricsPerHostWithTheHostsTags() {
        assertThat(series).hasSize(HOSTS * 10);
        for (int index = 0; index < series.size(); index++) {
            final Map<String, String> labels = series.get(index).labels();
            assertThat(labels.keySet()).containsExactly("__name__", "arch", "datacenter", "hostname", "os", "rack",
                "region", "service", "service_environment", "service_version", "team");
            assertThat(labels.get("__name__")).isEqualTo(TsbsCpuDataset.METRICS[index % 10]);
            assertThat(labels.get("hostname")).isEqualTo("host_" + index / 10);
            assertThat(labels.get("datacenter")).startsWith(labels.get("region"));
            assertThat(labels.get("arch")).isIn("x64", "x86");
            assertThat(labels.get("os")).isIn("Ubuntu16.10", "Ubuntu16.04LTS", "Ubuntu15.10");
            assertThat(labels.get("team")).isIn("SF", "NYC", "LON", "CHI");
            assertThat(labels.get("service_environment")).isIn("production", "staging", "test");
            assertThat(Integer.parseInt(labels.get("rack"))).isBetween(0, 99);
            assertThat(Integer.parseInt(labels.get("service"))).isBetween(0, 19);
            assertThat(Integer.parseInt(labels.get("service_version"))).isBetween(0, 1);
            final Map<String, String> hostTags = new TreeMap<>(labels);
            hostTags.remove("__name__");
            final Map<String, String> firstOfHost = new TreeMap<>(series.get(index / 10 * 10).labels());
            firstOfHost.remove("__name__");
            assertThat(hostTags).isEqualTo(firstOfHost);
        }
        assertThat(series.stream().map(s -> s.labels().get("region")).distinct().count()).isGreaterThan(3);
    }

    @Test
    void shouldSampleEveryTenSecondsFromACommonStart() {
        for (final SeriesData one : series) {
            for (int sample = 0; sample < SAMPLES; sample++) {
                assertThat(one.timestamps()[sample]).isEqualTo(1_451_606_400_000L + sample * 10_000L);
            }
        }
    }

    @Test
    void shouldWalkWithinZeroToHundredByStandardNormalSteps() {
        double squaredSteps = 0;
        long interiorSteps = 0;
        long shortDecimals = 0;
        for (final SeriesData one : series) {
            final double[] values = one.values();
            for (int sample = 0; sample < SAMPLES; sample++) {
                assertThat(values[sample]).as("%s sample %d", one.labels(), sample).isBetween(0.0, 100.0);
                final boolean clamped = values[sample] == 0 || values[sample] == 100;
                shortDecimals += !clamped && Math.round(values[sample] * 1e6) / 1e6 == values[sample] ? 1 : 0;
                if (sample > 0) {
                    final double step = values[sample] - values[sample - 1];
                    assertThat(Math.abs(step)).isLessThan(7.0);
                    if (values[sample] > 0 && values[sample] < 100) {
                        squaredSteps += step * step;
                        interiorSteps++;
                    }
                }
            }
        }
        assertThat(squaredSteps / interiorSteps).as("step variance").isBetween(0.9, 1.1);
        assertThat(shortDecimals).as("values with at most 6 decimals").isLessThan(HOSTS * 10L * SAMPLES / 100);
    }
}
