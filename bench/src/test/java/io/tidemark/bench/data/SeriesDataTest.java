package io.tidemark.bench.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeriesDataTest {
    @Test
    void shouldSortAndFreezeLabels() {
        final Map<String, String> labels = new HashMap<>(Map.of("zone", "a", "__name__", "m", "host", "h"));
        final SeriesData series = new SeriesData(labels, new long[] {1, 2}, new double[] {3, 4});
        labels.put("late", "x");
        assertThat(series.labels().keySet()).containsExactly("__name__", "host", "zone");
        assertThat(series.metricName()).isEqualTo("m");
        assertThat(series.size()).isEqualTo(2);
        assertThatThrownBy(() -> series.labels().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void shouldRejectMismatchedLengthsAndUnorderedTimestamps() {
        assertThatThrownBy(() -> new SeriesData(Map.of(), new long[] {1, 2}, new double[] {1}))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timestamps=2 values=1");
        assertThatThrownBy(() -> new SeriesData(Map.of(), new long[] {1, 1}, new double[] {1, 2}))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("index=1");
    }
}
