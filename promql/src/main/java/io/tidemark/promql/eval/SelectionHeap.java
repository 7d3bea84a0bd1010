package io.tidemark.promql.eval;

/**
 * The k-sized heap through which Prometheus' {@code topk} and {@code bottomk} pick series, replayed exactly so that
 * ties (and NaN) pick the same series: a binary heap over series ordinals with Go's {@code container/heap} sift-up and
 * sift-down, whose root is the weakest kept value (the smallest for topk, the largest for bottomk) and which orders
 * NaN below everything ({@code vectorByValueHeap.Less} / {@code vectorByReverseValueHeap.Less}). Of equal values the
 * one at the root is evicted first, so which of them stays depends on the heap's shape, not on input order.
 *
 * <p>Prometheus 3 overwrites the root with a stronger value and sifts it down; Prometheus 2.x (selected by
 * {@code prometheus2}) pops the root (moving the last element to the root and sifting it down), then pushes the new
 * value at the end and sifts it up, and also replaces a NaN root with a NaN. The heap shapes differ, and so can the
 * series chosen among ties. One instance per query, reused for every group and step; not thread-safe.
 */
final class SelectionHeap {
    /** Go's {@code sort.Sort} uses insertion sort up to this length; longer inputs are ordered by value alone. */
    private static final int GO_INSERTION_SORT_MAX = 12;

    private final int[] ids;
    private final double[] values;
    private int size;
    private boolean top;

    /** A heap for up to {@code capacity} series. */
    SelectionHeap(final int capacity) {
        ids = new int[capacity];
        values = new double[capacity];
    }

    /** Empties the heap for a new group: {@code top} for topk's min-heap, false for bottomk's max-heap. */
    void reset(final boolean top) {
        this.top = top;
        size = 0;
    }

    /** How many series the heap holds. */
    int size() {
        return size;
    }

    /** The series ordinal at heap position {@code i}. */
    int id(final int i) {
        return ids[i];
    }

    /**
     * Offers series {@code id} with value {@code v} to a heap that keeps at most {@code k} ({@code k >= 1}), as
     * Prometheus 3 does, or as Prometheus 2.x does when {@code prometheus2}.
     */
    void offer(final int id, final double v, final int k, final boolean prometheus2) {
        if (size < k) {
            push(id, v);
            return;
        }
        final double root = values[0];
        final boolean stronger = top ? root < v : root > v;
        if (prometheus2) {
            if (stronger || Double.isNaN(root)) {
                if (k == 1) {
                    ids[0] = id;
                    values[0] = v;
                    return;
                }
                popRoot();
                push(id, v);
            }
        } else if (stronger || Double.isNaN(root) && !Double.isNaN(v)) {
            ids[0] = id;
            values[0] = v;
            if (k > 1) {
                down(0, size);
            }
        }
    }

    /**
     * Orders the heap for output as Prometheus' {@code sort.Sort(sort.Reverse(heap))} does: strongest first, NaN last.
     * Up to 12 elements this is Go's insertion sort, so ties come out in Prometheus' order; beyond that, ties keep
     * their heap order (Go's pattern-defeating quicksort is not replayed).
     */
    void sortForOutput() {
        if (size <= GO_INSERTION_SORT_MAX) {
            for (int i = 1; i < size; i++) {
                for (int j = i; j > 0 && less(j - 1, j); j--) {
                    swap(j, j - 1);
                }
            }
            return;
        }
        // A stable merge sort by a strict order: stronger first, NaN last, ties in heap order.
        final int[] idsFrom = ids;
        final double[] valuesFrom = values;
        int[] srcIds = ids;
        double[] srcValues = values;
        int[] dstIds = new int[size];
        double[] dstValues = new double[size];
        for (int width = 1; width < size; width <<= 1) {
            for (int lo = 0; lo < size; lo += width << 1) {
                final int mid = Math.min(lo + width, size);
                final int hi = Math.min(lo + (width << 1), size);
                int a = lo;
                int b = mid;
                for (int out = lo; out < hi; out++) {
                    if (b < hi && (a >= mid || precedes(srcValues[b], srcValues[a]))) {
                        dstIds[out] = srcIds[b];
                        dstValues[out] = srcValues[b++];
                    } else {
                        dstIds[out] = srcIds[a];
                        dstValues[out] = srcValues[a++];
                    }
                }
            }
            final int[] ti = srcIds;
            srcIds = dstIds;
            dstIds = ti;
            final double[] tv = srcValues;
            srcValues = dstValues;
            dstValues = tv;
        }
        if (srcIds != idsFrom) {
            System.arraycopy(srcIds, 0, idsFrom, 0, size);
            System.arraycopy(srcValues, 0, valuesFrom, 0, size);
        }
    }

    private boolean precedes(final double x, final double y) {
        if (Double.isNaN(x)) {
            return false;
        }
        return Double.isNaN(y) || (top ? x > y : x < y);
    }

    private void push(final int id, final double v) {
        ids[size] = id;
        values[size] = v;
        size++;
        up(size - 1);
    }

    /** Go's {@code heap.Pop}: the last element to the root, sifted down over the others, then dropped. */
    private void popRoot() {
        final int last = size - 1;
        swap(0, last);
        down(0, last);
        size--;
    }

    /** Prometheus' heap order: NaN below everything, else smaller (topk) or larger (bottomk). */
    private boolean less(final int a, final int b) {
        final double x = values[a];
        if (Double.isNaN(x)) {
            return true;
        }
        return top ? x < values[b] : x > values[b];
    }

    private void up(final int from) {
        int j = from;
        while (j > 0) {
            final int parent = (j - 1) / 2;
            if (!less(j, parent)) {
                break;
            }
            swap(parent, j);
            j = parent;
        }
    }

    private void down(final int from, final int n) {
        int i = from;
        while (true) {
            final int left = 2 * i + 1;
            if (left >= n) {
                break;
            }
            int child = left;
            if (left + 1 < n && less(left + 1, left)) {
                child = left + 1;
            }
            if (!less(child, i)) {
                break;
            }
            swap(i, child);
            i = child;
        }
    }

    private void swap(final int a, final int b) {
        final int id = ids[a];
        ids[a] = ids[b];
        ids[b] = id;
        final double v = values[a];
        values[a] = values[b];
        values[b] = v;
    }
}
