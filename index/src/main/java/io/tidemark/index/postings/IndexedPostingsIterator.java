package io.tidemark.index.postings;

/**
 * The iteration shared by iterators over ids addressable by index (a heap array, an off-heap list):
 * {@link #next()} steps by one; {@link #seek(int)} gallops (exponential steps from the current
 * index) and then binary-searches the bracket, so a short seek costs little and a long one
 * logarithmically. Subclasses say how many ids there are ({@link #restart}) and how to read one
 * ({@link #idAt}).
 *
 * <p>Not thread-safe. Allocates nothing.
 */
abstract class IndexedPostingsIterator implements PostingsIterator {
    private int limit;
    private int index;
    private int current = NO_MORE;

    /** Positions before the first of {@code limit} ids. */
    final void restart(final int limit) {
        this.limit = limit;
        this.index = -1;
        this.current = -1;
    }

    /** How many ids this iterator covers in all. */
    final int limitOfIds() {
        return limit;
    }

    /** The id at {@code at}, {@code 0 <= at < limit}. */
    abstract int idAt(int at);

    @Override
    public final int next() {
        final int nextIndex = index + 1;
        if (nextIndex >= limit) {
            return exhaust();
        }
        index = nextIndex;
        current = idAt(nextIndex);
        return current;
    }

    @Override
    public final int seek(final int requested) {
        final int target = Math.max(requested, 0);
        if (current >= target) {
            return current;
        }
        final int end = limit;
        // Gallop: every index below low holds an id < target; high is the next probe.
        int low = index + 1;
        long step = 1;
        int high = low;
        while (high < end && idAt(high) < target) {
            low = high + 1;
            high = (int) Math.min(low + step, end);
            step <<= 1;
        }
        // Binary search [low, high) for the first id >= target; high is end or holds an id >= target.
        while (low < high) {
            final int middle = (low + high) >>> 1;
            if (idAt(middle) < target) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        if (low >= end) {
            return exhaust();
        }
        index = low;
        current = idAt(low);
        return current;
    }

    @Override
    public final int current() {
        return current;
    }

    private int exhaust() {
        index = limit;
        current = NO_MORE;
        return NO_MORE;
    }
}
