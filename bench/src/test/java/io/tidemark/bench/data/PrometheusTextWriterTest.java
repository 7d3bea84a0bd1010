package io.tidemark.bench.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PrometheusTextWriterTest {
    private static final long SEED = Long.getLong("tidemark.test.seed", System.nanoTime());

    @BeforeAll
    static void printSeed() {
        System.out.println("PrometheusTextWriterTest seed=" + SEED + " (replay with -Dtidemark.test.seed=" + SEED + ")");
    }

    private static String write(final Dataset dataset, final long maxBufferedSamples) throws IOException {
        final StringBuilder out = new StringBuilder();
        PrometheusTextWriter.write(dataset, out, maxBufferedSamples);
        return out.toString();
    }

    /** Parses {@code text} and checks it holds exactly the samples of {@code dataset}, in timestamp order. */
    private static void assertRoundTrip(final Dataset dataset, final String text) {
        final List<PrometheusTextParser.Sample> samples = PrometheusTextParser.parse(text);
        final Map<Map<String, String>, Integer> indexByLabels = new HashMap<>();
        final List<SeriesData> expected = SeriesAssertions.all(dataset);
        for (int index = 0; index < expected.size(); index++) {
            indexByLabels.put(expected.get(index).labels(), index);
        }
        final int[] cursors = new int[expected.size()];
        long previousTimestamp = Long.MIN_VALUE;
        int previousIndex = -1;
        for (final PrometheusTextParser.Sample sample : samples) {
            final Integer index = indexByLabels.get(sample.labels());
            assertThat(index).as("labels %s", sample.labels()).isNotNull();
            final SeriesData series = expected.get(index);
            final int cursor = cursors[index]++;
            assertThat(sample.timestamp()).isEqualTo(series.timestamps()[cursor]);
            final double expectedValue = series.values()[cursor];
            if (Double.isNaN(expectedValue)) {
                assertThat(sample.value()).isNaN();
            } else {
                assertThat(Double.doubleToRawLongBits(sample.value())).as("%s sample %d", series.labels(), cursor)
                    .isEqualTo(Double.doubleToRawLongBits(expectedValue));
            }
            assertThat(sample.timestamp() > previousTimestamp
                || sample.timestamp() == previousTimestamp && index > previousIndex)
                .as("order at %s %d", sample.labels(), sample.timestamp()).isTrue();
            previousTimestamp = sample.timestamp();
            previousIndex = index;
        }
        for (int index = 0; index < expected.size(); index++) {
            assertThat(cursors[index]).as("samples of series %d", index).isEqualTo(expected.get(index).size());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"node", "tsbs"})
    void shouldWriteEverySampleSoThatItParsesBackBitExactInTimestampOrder(final String name) throws IOException {
        final Dataset dataset = Datasets.byName(name, SEED, 2, 30);
        assertRoundTrip(dataset, write(dataset, PrometheusTextWriter.DEFAULT_BUFFERED_SAMPLES));
    }

    @ParameterizedTest
    @ValueSource(longs = {97, 1_000, 9_779})
    void shouldWriteTheSameTextWhenMemoryForcesTimeWindows(final long maxBufferedSamples) throws IOException {
        final Dataset dataset = Datasets.node(SEED, 2, 30);
        final String whole = write(dataset, Long.MAX_VALUE);
        assertThat(write(dataset, maxBufferedSamples)).isEqualTo(whole);
    }

    @Test
    void shouldWriteTheSameTextWithABudgetOfOneSample() throws IOException {
        final Dataset dataset = Datasets.tsbs(SEED, 2, 7);
        assertThat(write(dataset, 1)).isEqualTo(write(dataset, Long.MAX_VALUE));
    }

    @Test
    void shouldEscapeLabelValuesAndSpellSpecialValues() throws IOException {
        final Map<String, String> labels = Map.of("__name__", "weird_metric", "a", "back\\slash",
            "b", "say \"hi\"", "c", "two\nlines", "d", "ünïcode {,} =");
        final double[] values = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0,
            Double.MIN_VALUE, Double.MAX_VALUE, 0.1 + 0.2, 1e21, 1e-7, -123.456};
        final long[] timestamps = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            timestamps[i] = 1_000L * i - 5_000;
        }
        final Dataset dataset = fixed(new SeriesData(labels, timestamps, values));
        final String text = write(dataset, Long.MAX_VALUE);
        assertThat(text).startsWith("weird_metric{a=\"back\\\\slash\",b=\"say \\\"hi\\\"\",c=\"two\\nlines\","
            + "d=\"ünïcode {,} =\"} NaN -5000\n");
        assertThat(text).contains("} +Inf -4000\n", "} -Inf -3000\n", "} -0.0 -2000\n");
        assertThat(text.lines()).hasSize(values.length);
        assertRoundTrip(dataset, text);
    }

    @Test
    void shouldRoundTripRandomBitPatterns() throws IOException {
        final SplittableRandom random = new SplittableRandom(SEED);
        final List<SeriesData> series = new ArrayList<>();
        for (int index = 0; index < 5; index++) {
            final double[] values = new double[2_000];
            final long[] timestamps = new long[values.length];
            for (int i = 0; i < values.length; i++) {
                values[i] = Double.longBitsToDouble(random.nextLong());
                timestamps[i] = i * 7L + random.nextInt(7);
            }
            series.add(new SeriesData(Map.of("__name__", "random_bits", "series", Integer.toString(index)), timestamps, values));
        }
        final Dataset dataset = fixed(series.toArray(SeriesData[]::new));
        assertRoundTrip(dataset, write(dataset, 3_000));
    }

    @Test
    void shouldBreakTimestampTiesBySeriesOrderAndOmitEmptyBraces() throws IOException {
        final Dataset dataset = fixed(
            new SeriesData(Map.of("__name__", "b"), new long[] {10, 20}, new double[] {1, 2}),
            new SeriesData(Map.of("__name__", "a", "x", "y"), new long[] {10, 15}, new double[] {3, 4}));
        assertThat(write(dataset, Long.MAX_VALUE)).isEqualTo("b 1.0 10\na{x=\"y\"} 3.0 10\na{x=\"y\"} 4.0 15\nb 2.0 20\n");
    }

    @Test
    void shouldRejectASeriesWithoutAMetricName() {
        final Dataset dataset = fixed(new SeriesData(Map.of("job", "x"), new long[] {1}, new double[] {1}));
        assertThatThrownBy(() -> write(dataset, Long.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("metric name");
    }

    private static Dataset fixed(final SeriesData... series) {
        return new Dataset() {
            @Override
            public String name() {
                return "fixed";
            }

            @Override
            public int seriesCount() {
                return series.length;
            }

            @Override
            public SeriesData series(final int index) {
                return series[index];
            }
        };
    }
}
