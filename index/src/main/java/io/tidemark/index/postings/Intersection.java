package io.tidemark.index.postings;

/**
 * The ids present in every one of k inputs, by leapfrogging: the candidate is the largest id any
 * input has reached, and each input in turn {@link PostingsIterator#seek(int) seeks} to it until k
 * inputs in a row agree. Inputs gallop, so the cost follows the smallest input: intersecting 10 ids
 * with a million costs about 10 seeks of logarithmic cost into the large one. No inputs means an
 * empty result; one input passes through.
 *
 * <p>Not thread-safe. Holds the inputs array it is given (no copy). Allocates nothing; to reuse for
 * another query, reset every input and then call {@link #reset()}.
 */
public final class Intersection implements PostingsIterator {
    private final PostingsIterator[] inputs;
    private int current;

    /** The intersection of {@code inputs}; the iterators must stand before their first id. */
    public Intersection(final PostingsIterator... inputs) {
        this.inputs = inputs;
        reset();
    }

    /**
     * Restarts before the first id; call after every input has been reset to stand before its first id.
     *
     * @return this
     */
    public Intersection reset() {
        current = inputs.length == 0 ? NO_MORE : -1;
        return this;
    }

    @Override
    public int next() {
        if (current == NO_MORE) {
            return NO_MORE;
        }
        // current < NO_MORE, so current + 1 does not overflow; every input stands at current.
        current = leapfrog(current + 1);
        return current;
    }

    @Override
    public int seek(final int requested) {
        final int target = Math.max(requested, 0);
        if (current >= target) {
            return current;
        }
        current = leapfrog(target);
        return current;
    }

    @Override
    public int current() {
        return current;
    }

    private int leapfrog(final int from) {
        final PostingsIterator[] all = inputs;
        final int k = all.length;
        int candidate = from;
        int agreeing = 0;
        int i = 0;
        while (agreeing < k) {
            final int id = all[i].seek(candidate);
            if (id == NO_MORE) {
                return NO_MORE;
            }
            if (id == candidate) {
                agreeing++;
            } else {
                candidate = id;
                agreeing = 1;
            }
            i = i + 1 == k ? 0 : i + 1;
        }
        return candidate;
    }
}
