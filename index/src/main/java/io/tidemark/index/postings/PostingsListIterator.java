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
public final class PostingsListIterator extends IndexedPostingsIterator {
    private PostingsList list;
    private MemorySegment page = MemorySegment.NULL;
    /** Byte offset in {@link #page} of the id at index {@link #segmentStart}. */
    private long segmentOffset;
    private int segmentStart;
    private int segmentEnd;

    /**
     * Restarts before the first id of {@code list}, over the ids published now (read with acquire
     * semantics).
     *
     * @return this
     * @throws IllegalStateException if the list is closed
     */
    public PostingsListIterator reset(final PostingsList list) {
        final int published = list.lengthAcquire();
        this.list = list;
        restart(published);
        this.segmentStart = 0;
        this.segmentEnd = 0;
        this.page = MemorySegment.NULL;
        return this;
    }

    /** How many ids this iterator covers in all. */
    public int limit() {
        return limitOfIds();
    }

    @Override
    int idAt(final int at) {
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
}
