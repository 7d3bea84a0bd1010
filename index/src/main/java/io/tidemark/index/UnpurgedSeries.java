package io.tidemark.index;

import java.util.Arrays;

/** The series {@link SeriesIndex#markRemoved} marked and {@link SeriesIndex#purgeRemoved} has not yet taken out of the postings. */
final class UnpurgedSeries {
    private int[] ids = new int[0];
    private int count;

    void add(final int id) {
        if (count == ids.length) {
            ids = Arrays.copyOf(ids, Math.max(16, count * 2));
        }
        ids[count++] = id;
    }

    int count() {
        return count;
    }

    int id(final int i) {
        return ids[i];
    }

    /** Forgets them all and gives the array back to the garbage collector. */
    void clear() {
        ids = new int[0];
        count = 0;
    }
}
