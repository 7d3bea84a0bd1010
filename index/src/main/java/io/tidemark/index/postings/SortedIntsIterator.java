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
public final class SortedIntsIterator extends IndexedPostingsIterator {
    private static final int[] EMPTY = new int[0];

    private int[] ids = EMPTY;

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
        restart(length);
        return this;
    }

    @Override
    int idAt(final int at) {
        return ids[at];
    }
}
