package io.tidemark.index.postings;

/**
 * The ids of {@code include} that are not in {@code exclude}. Walks {@code include} and
 * {@link PostingsIterator#seek(int) seeks} {@code exclude} to each id, so a small exclude set is
 * skipped over cheaply and a large one is galloped through; once {@code exclude} is exhausted the
 * rest of {@code include} passes through untouched.
 *
 * <p>Not thread-safe. Allocates nothing; to reuse for another query, reset both inputs and then
 * call {@link #reset()}.
 */
public final class Difference implements PostingsIterator {
    private final PostingsIterator include;
    private final PostingsIterator exclude;
    private boolean excludeExhausted;
    private int current;

    /** {@code include} minus {@code exclude}; both must stand before their first id. */
    public Difference(final PostingsIterator include, final PostingsIterator exclude) {
        this.include = include;
        this.exclude = exclude;
        reset();
    }

    /**
     * Restarts before the first id; call after both inputs have been reset to stand before their first id.
     *
     * @return this
     */
    public Difference reset() {
        excludeExhausted = false;
        current = -1;
        return this;
    }

    @Override
    public int next() {
        if (current == NO_MORE) {
            return NO_MORE;
        }
        current = firstNotExcluded(include.next());
        return current;
    }

    @Override
    public int seek(final int requested) {
        final int target = Math.max(requested, 0);
        if (current >= target) {
            return current;
        }
        current = firstNotExcluded(include.seek(target));
        return current;
    }

    @Override
    public int current() {
        return current;
    }

    /** {@code candidate} or the first id after it in {@code include} that {@code exclude} lacks. */
    private int firstNotExcluded(final int candidate) {
        int id = candidate;
        while (id != NO_MORE && !excludeExhausted) {
            final int excluded = exclude.seek(id);
            if (excluded == NO_MORE) {
                excludeExhausted = true;
            } else if (excluded != id) {
                return id;
            } else {
                id = include.next();
            }
        }
        return id;
    }
}
