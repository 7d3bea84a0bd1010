package io.tidemark.bench.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

/** Assertions and look-ups shared by the dataset tests. */
final class SeriesAssertions {
    private SeriesAssertions() {
    }

    /** Asserts equal labels, timestamps and bit-identical values. */
    static void assertSameSeries(final SeriesData actual, final SeriesData expected, final String description) {
        assertThat(actual.labels()).as(description).isEqualTo(expected.labels());
        assertThat(actual.timestamps()).as(description).isEqualTo(expected.timestamps());
        assertThat(rawBits(actual.values())).as(description).isEqualTo(rawBits(expected.values()));
    }

    static long[] rawBits(final double[] values) {
        final long[] bits = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Double.doubleToRawLongBits(values[i]);
        }
        return bits;
    }

    /** Every series of {@code dataset}, in index order. */
    static List<SeriesData> all(final Dataset dataset) {
        final List<SeriesData> series = new ArrayList<>(dataset.seriesCount());
        for (int index = 0; index < dataset.seriesCount(); index++) {
            series.add(dataset.series(index));
        }
        return series;
    }
}
