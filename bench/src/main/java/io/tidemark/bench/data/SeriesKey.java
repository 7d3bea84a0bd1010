package io.tidemark.bench.data;

import java.util.Map;

/**
 * The identity of one series within a target: its metric name and its own labels as name, value
 * pairs (the target labels {@code instance} and {@code job} are added by the dataset).
 */
record SeriesKey(String metricName, String... labelPairs) {
    SeriesKey {
        if (labelPairs.length % 2 != 0) {
            throw new IllegalArgumentException("label pairs must come in name, value pairs: metricName="
                + metricName + " length=" + labelPairs.length);
        }
    }

    /** Puts {@code __name__} and this key's labels into {@code labels}. */
    void putInto(final Map<String, String> labels) {
        labels.put(SeriesData.METRIC_NAME_LABEL, metricName);
        for (int i = 0; i < labelPairs.length; i += 2) {
            labels.put(labelPairs[i], labelPairs[i + 1]);
        }
    }
}
