package io.tidemark.index.postings;

import java.util.Arrays;

/**
 * Helpers that drain a {@link PostingsIterator}, for tests and for callers that want the result
 * as a whole. They allocate (the result array); the iterators themselves do not.
 *
 * <p>Thread-safety: stateless; the iterator passed in must not be used by another thread meanwhile.
 */
public final class Postings {
    private Postings() {
    }

    /** Drains {@code iterator} from its current position and returns the remaining ids in order. */
    public static int[] toArray(final PostingsIterator iterator) {
        int[] ids = new int[16];
        int size = 0;
        for (int id = iterator.next(); id != PostingsIterator.NO_MORE; id = iterator.next()) {
            if (size == ids.length) {
                ids = Arrays.copyOf(ids, size * 2);
            }
            ids[size++] = id;
        }
        return Arrays.copyOf(ids, size);
    }

    /** Drains {@code iterator} from its current position and returns how many ids remained. */
    public static int count(final PostingsIterator iterator) {
        int count = 0;
        while (iterator.next() != PostingsIterator.NO_MORE) {
            count++;
        }
        return count;
    }
}
