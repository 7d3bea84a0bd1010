package io.tidemark.index.postings;

/**
 * A {@link PostingsIterator} over the first {@code length} ids of a strictly increasing
 * {@code int[]}. {@link #seek(int)} gallops (exponential steps from the current position) and then
 * binary-searches the bracket, so seeking a small distance costs little and a large one
 * logarithmically.
 *
 * <p>Not thread-safe; reusable through {@link #reset(int[], int)}. The array is borrowed, not
 * copied: the caller must not change it while iterating. Allocates nothing per element.
 */
public final class SortedIntsIterator implements PostingsIterator {
    private static final int[] EMPTY = new int[0];

    private int[] ids = EMPTY;
    private int length;
    private int index;
    private int current;

    /** Iterates all of {@code ids}, which must be strictly increasing and non-negative. */
    public SortedIntsIterator(final int[] ids) {
        reset(ids, ids.length);
    }

    /** Iterates {@code ids[0..length)}, which must be strictly increasing and non-negative. */
    public SortedIntsIterator(final int[] ids, final int length) {
        reset(ids, length);
    }

    /**
     * Restarts over {@code ids[0..length)}; checks the order in O(length).
     *
     * @return this
     */
    public SortedIntsIterator reset(final int[] ids, final int length) {
        if (length < 0 || length > ids.length) {
            throw new IllegalArgumentException("length out of range: length=" + length + " arrayLength=" + ids.length);
        }
        int previous = -1;
        for (int i = 0; i < length; i++) {
            if (ids[i] <= previous || ids[i] == NO_MORE) {
                throw new IllegalArgumentException("ids must be strictly increasing, non-negative and below NO_MORE: index="
                    + i + " id=" + ids[i] + " previous=" + previous);
            }
            previous = ids[i];
        }
        this.ids = ids;
        this.length = length;
        this.index = -1;
        this.current = -1;
        return this;
    }

    @Override
    public int next() {
        final int nextIndex = index + 1;
        if (nextIndex >= length) {
            return exhaust();
        }
        index = nextIndex;
        current = ids[nextIndex];
        return current;
    }

    @Override
    public int seek(final int requested) {
        final int target = Math.max(requested, 0);
        if (current >= target) {
            return current;
        }
        final int[] values = ids;
        final int end = length;
        // Gallop: every index below low holds an id < target; high is the next probe.
        int low = index + 1;
        long step = 1;
        int high = low;
        while (high < end && values[high] < target) {
            low = high + 1;
            high = (int) Math.min(low + step, end);
            step <<= 1;
        }
        // Binary search [low, high) for the first id >= target; high is end or holds an id >= target.
        while (low < high) {
            final int middle = (low + high) >>> 1;
            if (values[middle] < target) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        if (low >= end) {
            return exhaust();
        }
        index = low;
        current = values[low];
        return current;
    }

    @Override
    public int current() {
        return current;
    }

    private int exhaust() {
        index = length;
        current = NO_MORE;
        return NO_MORE;
    }
}
