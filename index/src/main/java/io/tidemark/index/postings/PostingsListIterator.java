package io.tidemark.index.postings;

import java.lang.foreign.MemorySegment;

/**
 * A {@link PostingsIterator} over the ids of a {@link PostingsList} that were published when it was
 * {@link #reset(PostingsList) reset}; ids appended later are not seen. {@link #next()} reads the
 * cached segment directly; {@link #seek(int)} gallops from the current index and then
 * binary-searches the bracket, reading the off-heap ids in place.
 *
 * <p>Not thread-safe: one reader thread at a time, which may differ from the list's writer. Reusable
 * for any list through {@link #reset(PostingsList)}; allocates nothing. The list must stay open
 * while the iterator is in use.
 */
public final class PostingsListIterator implements PostingsIterator {
    private PostingsList list;
    private int limit;
    private int index;
    private int current;
    private MemorySegment page = MemorySegment.NULL;
    /** Byte offset in {@link #page} of the id at index {@link #segmentStart}. */
    private long segmentOffset;
    private int segmentStart;
    private int segmentEnd;

    /** An iterator over nothing until {@link #reset(PostingsList)}. */
    public PostingsListIterator() {
        current = NO_MORE;
    }

    /**
     * Restarts before the first id of {@code list}, over the ids published now (read with acquire
     * semantics).
     *
     * @return this
     * @throws IllegalStateException if the list is closed
     */
    public PostingsListIterator reset(final PostingsList list) {
        this.limit = list.lengthAcquire();
        this.list = list;
        this.index = -1;
        this.current = -1;
        this.segmentStart = 0;
        this.segmentEnd = 0;
        this.page = MemorySegment.NULL;
        return this;
    }

    /** How many ids this iterator covers in all. */
    public int limit() {
        return limit;
    }

    @Override
    public int next() {
        final int nextIndex = index + 1;
        if (nextIndex >= limit) {
            return exhaust();
        }
        index = nextIndex;
        current = idAt(nextIndex);
        return current;
    }

    @Override
    public int seek(final int requested) {
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
    public int current() {
        return current;
    }

    private int idAt(final int at) {
        if (at < segmentStart || at >= segmentEnd) {
            loadSegment(at);
        }
        return page.get(PostingsMemory.ID, segmentOffset + (long) (at - segmentStart) * PostingsListLayout.ID_BYTES);
    }

    private void loadSegment(final int at) {
        final int segment = PostingsListLayout.segmentOf(at);
        final int handle = list.block(segment);
        page = list.memory().page(handle);
        segmentOffset = PostingsMemory.offset(handle);
        segmentStart = PostingsListLayout.segmentStart(segment);
        segmentEnd = (int) Math.min((long) segmentStart + PostingsListLayout.segmentCapacity(segment), Integer.MAX_VALUE);
    }

    private int exhaust() {
        index = limit;
        current = NO_MORE;
        return NO_MORE;
    }
}
