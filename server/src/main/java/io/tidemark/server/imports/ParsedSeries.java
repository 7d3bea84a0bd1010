package io.tidemark.server.imports;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** One parsed line: a series' labels and its samples. Reused from line to line by one parser. */
final class ParsedSeries {
    final Map<String, String> labels = new LinkedHashMap<>();
    long[] timestamps = new long[16];
    double[] values = new double[16];
    int timestampCount;
    int valueCount;

    void clear() {
        labels.clear();
        timestampCount = 0;
        valueCount = 0;
    }

    void addTimestamp(final long timestamp) {
        if (timestampCount == timestamps.length) {
            timestamps = Arrays.copyOf(timestamps, 2 * timestampCount);
        }
        timestamps[timestampCount++] = timestamp;
    }

    void addValue(final double value) {
        if (valueCount == values.length) {
            values = Arrays.copyOf(values, 2 * valueCount);
        }
        values[valueCount++] = value;
    }
}
