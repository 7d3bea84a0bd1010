package io.tidemark.client;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One series of a query or select result: its labels (in the server's order, sorted by name) and its samples in
 * columns, oldest first. Values keep their bit patterns (Prometheus' stale marker is the NaN
 * {@code 0x7ff0000000000002}; compare with {@link Double#doubleToRawLongBits}).
 *
 * @param labels     label names to values, unmodifiable
 * @param timestamps milliseconds since the epoch
 * @param values     one per timestamp
 */
public record SeriesSamples(Map<String, String> labels, long[] timestamps, double[] values) {
    /** Checks that the columns have one value per timestamp. */
    public SeriesSamples {
        if (timestamps.length != values.length) {
            throw new IllegalArgumentException("timestamps=" + timestamps.length + " values=" + values.length);
        }
    }

    /** Samples in the series. */
    public int size() {
        return timestamps.length;
    }

    /** Labels from names and values alternating, in that order. */
    static Map<String, String> labelMap(final String[] pairs) {
        final Map<String, String> map = new LinkedHashMap<>(pairs.length);
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }

    @Override
    public String toString() {
        return "SeriesSamples" + labels + " samples=" + timestamps.length;
    }
}
