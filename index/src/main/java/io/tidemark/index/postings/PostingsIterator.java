package io.tidemark.index.postings;

/**
 * A forward-only cursor over strictly increasing series ids ({@code >= 0}), the shape of Prometheus'
 * {@code index.Postings}. Set operations ({@link Intersection}, {@link Union}, {@link Difference})
 * are themselves iterators, so they compose; none of them allocates per element.
 *
 * <p>Before the first {@link #next()} or {@link #seek(int)} the iterator stands before the first id.
 * Once either returns {@link #NO_MORE} the iterator stays exhausted.
 *
 * <p>Thread-safety: an iterator is used by one thread at a time.
 */
public interface PostingsIterator {
    /** Returned, and then held by {@link #current()}, once the iterator is exhausted. Never a valid id. */
    int NO_MORE = Integer.MAX_VALUE;

    /** Advances to the next id and returns it, or returns {@link #NO_MORE}. */
    int next();

    /**
     * Advances to the first id {@code >= target} and returns it, or returns {@link #NO_MORE}. Never
     * moves backwards: if the current id is already {@code >= target} it is returned unchanged. A
     * negative target counts as 0.
     */
    int seek(int target);

    /** The id last returned by {@link #next()} or {@link #seek(int)}; undefined before the first call. */
    int current();
}
