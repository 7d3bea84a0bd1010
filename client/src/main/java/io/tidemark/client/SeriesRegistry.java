package io.tidemark.client;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The series of one client, by labels and by handle. Handles are given out in order from 0, one per distinct label
 * set, so they stay dense and below the server's {@code maxSeriesHandles}. Creating a series takes a lock and
 * allocates; looking one up by handle (the reader thread mapping refusals, the writer registering) does neither.
 */
final class SeriesRegistry {
    private final Map<List<String>, Series> byLabels = new HashMap<>();
    private volatile Series[] byHandle = new Series[64];
    private volatile int size;

    /** The series with these labels, made with the next handle if new; fails past {@code maxHandles}. */
    synchronized Series intern(final LabelSets.Normalized labels, final int maxHandles) {
        final List<String> key = List.of(labels.pairs());
        final Series known = byLabels.get(key);
        if (known != null) {
            return known;
        }
        if (size >= maxHandles) {
            throw new IllegalStateException("series=" + size + " reached the server's maxSeriesHandles=" + maxHandles);
        }
        final Series series = new Series(this, size, labels);
        Series[] array = byHandle;
        if (size == array.length) {
            array = Arrays.copyOf(array, array.length * 2);
        }
        array[size] = series;
        byHandle = array;
        byLabels.put(key, series);
        size++;
        return series;
    }

    /** The series of {@code handle}, or null. */
    Series get(final int handle) {
        final Series[] array = byHandle;
        return handle >= 0 && handle < array.length ? array[handle] : null;
    }

    /** Series made so far; handles are {@code 0 .. size() - 1}. */
    int size() {
        return size;
    }
}
