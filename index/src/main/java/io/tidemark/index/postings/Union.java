package io.tidemark.index.postings;

/**
 * The ids present in any of k inputs, each once, by a k-way merge: a binary min-heap of the inputs
 * keyed by their current id. {@link #next()} advances every input that stands at the id just
 * returned; {@link #seek(int)} seeks only the inputs behind the target. Costs O(log k) per input
 * step. No inputs means an empty result; one input passes through.
 *
 * <p>Not thread-safe. Holds the inputs array it is given (no copy) and allocates its heap once, in
 * the constructor; to reuse for another query, reset every input and then call {@link #reset()}.
 */
public final class Union implements PostingsIterator {
    private final PostingsIterator[] inputs;
    /** Input numbers, a min-heap on {@link #heads} in {@code heap[0..size)}. */
    private final int[] heap;
    /** The current id of each input. */
    private final int[] heads;
    private int size;
    private boolean started;
    private int current;

    /** The union of {@code inputs}; the iterators must stand before their first id. */
    public Union(final PostingsIterator... inputs) {
        this.inputs = inputs;
        this.heap = new int[inputs.length];
        this.heads = new int[inputs.length];
        reset();
    }

    /**
     * Restarts before the first id; call after every input has been reset to stand before its first id.
     *
     * @return this
     */
    public Union reset() {
        size = 0;
        started = false;
        current = inputs.length == 0 ? NO_MORE : -1;
        return this;
    }

    @Override
    public int next() {
        if (current == NO_MORE) {
            return NO_MORE;
        }
        if (!started) {
            start(-1);
        } else {
            final int emitted = current;
            while (size > 0 && heads[heap[0]] == emitted) {
                replaceTop(inputs[heap[0]].next());
            }
        }
        current = size == 0 ? NO_MORE : heads[heap[0]];
        return current;
    }

    @Override
    public int seek(final int requested) {
        final int target = Math.max(requested, 0);
        if (current >= target) {
            return current;
        }
        if (!started) {
            start(target);
        } else {
            while (size > 0 && heads[heap[0]] < target) {
                replaceTop(inputs[heap[0]].seek(target));
            }
        }
        current = size == 0 ? NO_MORE : heads[heap[0]];
        return current;
    }

    @Override
    public int current() {
        return current;
    }

    /** Positions every input at its first id ({@code >= target} if target is not -1) and heapifies. */
    private void start(final int target) {
        started = true;
        for (int input = 0; input < inputs.length; input++) {
            final int id = target < 0 ? inputs[input].next() : inputs[input].seek(target);
            if (id != NO_MORE) {
                heads[input] = id;
                heap[size++] = input;
            }
        }
        for (int parent = size / 2 - 1; parent >= 0; parent--) {
            siftDown(parent);
        }
    }

    /** Gives the input at the top its new id, dropping it if exhausted, and restores the heap. */
    private void replaceTop(final int id) {
        if (id == NO_MORE) {
            size--;
            heap[0] = heap[size];
        } else {
            heads[heap[0]] = id;
        }
        if (size > 0) {
            siftDown(0);
        }
    }

    private void siftDown(final int from) {
        final int[] order = heap;
        final int[] keys = heads;
        final int n = size;
        final int input = order[from];
        final int key = keys[input];
        int at = from;
        while (true) {
            int child = 2 * at + 1;
            if (child >= n) {
                break;
            }
            if (child + 1 < n && keys[order[child + 1]] < keys[order[child]]) {
                child++;
            }
            if (keys[order[child]] >= key) {
                break;
            }
            order[at] = order[child];
            at = child;
        }
        order[at] = input;
    }
}
