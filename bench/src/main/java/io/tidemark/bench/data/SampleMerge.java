package io.tidemark.bench.data;

import java.io.IOException;

/**
 * Merges the samples of many series by timestamp, ties broken by series index, with a binary heap
 * of series indexes keyed by each series' next timestamp. Reused across windows; not thread-safe.
 */
final class SampleMerge {
    private final long[][] timestamps;
    private final double[][] values;
    private final int[] cursors;
    private final int[] heap;
    private int heapSize;

    SampleMerge(final int seriesCount) {
        this.timestamps = new long[seriesCount][];
        this.values = new double[seriesCount][];
        this.cursors = new int[seriesCount];
        this.heap = new int[seriesCount];
    }

    /** Sets the samples of series {@code index} for the next {@link #drain}; null leaves it empty. */
    void set(final int index, final long[] seriesTimestamps, final double[] seriesValues) {
        timestamps[index] = seriesTimestamps;
        values[index] = seriesValues;
        cursors[index] = 0;
    }

    /** Writes all samples that were set, in timestamp order, then forgets them. */
    void drain(final String[] prefixes, final StringBuilder buffer, final Appendable out) throws IOException {
        heapSize = 0;
        for (int index = 0; index < timestamps.length; index++) {
            if (timestamps[index] != null && timestamps[index].length > 0) {
                heap[heapSize] = index;
                siftUp(heapSize++);
            }
        }
        while (heapSize > 0) {
            final int index = heap[0];
            final int cursor = cursors[index]++;
            buffer.append(prefixes[index]).append(PrometheusTextWriter.formatValue(values[index][cursor]))
                .append(' ').append(timestamps[index][cursor]).append('\n');
            PrometheusTextWriter.flushIfFull(buffer, out);
            if (cursors[index] == timestamps[index].length) {
                timestamps[index] = null;
                values[index] = null;
                heap[0] = heap[--heapSize];
            }
            if (heapSize > 0) {
                siftDown(0);
            }
        }
    }

    private boolean before(final int left, final int right) {
        final long leftTimestamp = timestamps[left][cursors[left]];
        final long rightTimestamp = timestamps[right][cursors[right]];
        return leftTimestamp < rightTimestamp || leftTimestamp == rightTimestamp && left < right;
    }

    private void siftUp(final int position) {
        int child = position;
        final int index = heap[child];
        while (child > 0) {
            final int parent = (child - 1) >>> 1;
            if (!before(index, heap[parent])) {
                break;
            }
            heap[child] = heap[parent];
            child = parent;
        }
        heap[child] = index;
    }

    private void siftDown(final int position) {
        int parent = position;
        final int index = heap[parent];
        while (true) {
            int child = 2 * parent + 1;
            if (child >= heapSize) {
                break;
            }
            if (child + 1 < heapSize && before(heap[child + 1], heap[child])) {
                child++;
            }
            if (!before(heap[child], index)) {
                break;
            }
            heap[parent] = heap[child];
            parent = child;
        }
        heap[parent] = index;
    }
}
