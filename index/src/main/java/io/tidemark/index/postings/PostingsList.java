package io.tidemark.index.postings;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * The strictly increasing series ids of one label pair, appended by one writer thread and read by
 * any number of readers without locks.
 *
 * <p>Memory: ids live off-heap in segments from a shared {@link PostingsMemory}, laid out as in
 * {@link PostingsListLayout}; a segment is never moved or freed while the list is open, so a reader
 * never sees data shift under it. An empty list holds no off-heap memory; the first id takes a
 * 16-byte block. On the heap a list is one 48-byte object (block handles of the first three
 * segments inline) plus, from the fourth segment on, an {@code int[]} of further handles.
 * {@link #close()} gives the blocks back to the memory.
 *
 * <p>Thread-safety: {@link #append(int)} and {@link #close()} from one writer thread (or handed over
 * with a happens-before edge). Readers ({@link #lengthAcquire()}, {@link #iterator()},
 * {@link PostingsListIterator#reset(PostingsList)}) from any thread, concurrently with appends: the
 * writer stores the id, then publishes the new length with release semantics; a reader loads the
 * length with acquire semantics and reads only below it, so it sees a consistent prefix. A list
 * must not be closed while readers may still use it; deciding when that is belongs to the caller.
 */
public final class PostingsList implements AutoCloseable {
    private static final int CLOSED = -1;
    private static final int INLINE_BLOCKS = 3;
    private static final VarHandle LENGTH;
    private static final VarHandle MORE_BLOCKS;

    static {
        try {
            final MethodHandles.Lookup lookup = MethodHandles.lookup();
            LENGTH = lookup.findVarHandle(PostingsList.class, "length", int.class);
            MORE_BLOCKS = lookup.findVarHandle(PostingsList.class, "moreBlocks", int[].class);
        } catch (final ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final PostingsMemory memory;
    /** Ids visible to readers; written with setRelease, read by readers with getAcquire. */
    private int length;
    /** The last id appended; writer only. */
    private int lastId = -1;
    /** Segments whose blocks this list holds; writer only. Can exceed the segments in use after {@link #removeLast()}. */
    private int segmentsHeld;
    private int block0 = PostingsMemory.NO_BLOCK;
    private int block1 = PostingsMemory.NO_BLOCK;
    private int block2 = PostingsMemory.NO_BLOCK;
    /** Handles of segments 3 and later; replaced (never resized in place) with setRelease. */
    private int[] moreBlocks;

    /** An empty list whose segments will come from {@code memory}. */
    public PostingsList(final PostingsMemory memory) {
        this.memory = memory;
    }

    /**
     * Appends {@code id}, which must be greater than every id appended before and below
     * {@link PostingsIterator#NO_MORE}. Writer thread only. Allocates nothing on the heap except
     * when the list reaches its 4th, 6th, 8th, 12th, 20th, ... segment (the handle table doubles).
     */
    public void append(final int id) {
        final int index = length;
        if (index == CLOSED) {
            throw new IllegalStateException("postings list is closed");
        }
        if (id <= lastId || id == PostingsIterator.NO_MORE) {
            throw new IllegalArgumentException("ids must be strictly increasing and below NO_MORE: id=" + id
                + " lastId=" + lastId);
        }
        final int segment = PostingsListLayout.segmentOf(index);
        final int start = PostingsListLayout.segmentStart(segment);
        if (index == start && segment == segmentsHeld) {
            addSegment(segment);
        }
        final int handle = block(segment);
        memory.page(handle).set(PostingsMemory.ID,
            PostingsMemory.offset(handle) + (long) (index - start) * PostingsListLayout.ID_BYTES, id);
        lastId = id;
        LENGTH.setRelease(this, index + 1); // publishes the id and any new segment handle
    }

    /**
     * Takes back the last id appended, for a writer whose series failed half-way through being
     * indexed; the list's memory stays. Readers that loaded the longer length may still read the id,
     * so the caller must also make it invisible to them (the registry marks the series removed).
     * Writer thread only.
     *
     * @throws IllegalStateException if the list is empty or closed
     */
    public void removeLast() {
        final int index = length;
        if (index <= 0) {
            throw new IllegalStateException(index == CLOSED ? "postings list is closed" : "postings list is empty");
        }
        lastId = index == 1 ? -1 : idAt(index - 2);
        LENGTH.setRelease(this, index - 1);
    }

    private int idAt(final int index) {
        final int segment = PostingsListLayout.segmentOf(index);
        final int handle = block(segment);
        return memory.page(handle).get(PostingsMemory.ID,
            PostingsMemory.offset(handle) + (long) (index - PostingsListLayout.segmentStart(segment)) * PostingsListLayout.ID_BYTES);
    }

    /** The last id appended, or -1 if none. Writer thread only. */
    public int lastId() {
        return lastId;
    }

    private void addSegment(final int segment) {
        final int handle = memory.allocateBlock(PostingsListLayout.sizeClass(segment));
        segmentsHeld = segment + 1;
        switch (segment) {
            case 0 -> block0 = handle;
            case 1 -> block1 = handle;
            case 2 -> block2 = handle;
            default -> {
                final int slot = segment - INLINE_BLOCKS;
                final int[] table = moreBlocks;
                if (table == null || slot == table.length) {
                    final int[] grown = table == null ? new int[2] : Arrays.copyOf(table, table.length * 2);
                    grown[slot] = handle;
                    MORE_BLOCKS.setRelease(this, grown);
                } else {
                    table[slot] = handle; // beyond any reader's visible length until the length is released
                }
            }
        }
    }

    /** The block handle of {@code segment}; the caller has seen a length that reaches into it. */
    int block(final int segment) {
        return switch (segment) {
            case 0 -> block0;
            case 1 -> block1;
            case 2 -> block2;
            default -> ((int[]) MORE_BLOCKS.getAcquire(this))[segment - INLINE_BLOCKS];
        };
    }

    PostingsMemory memory() {
        return memory;
    }

    /**
     * The number of ids published so far, read with acquire semantics: every id below it is fully
     * visible to the caller.
     *
     * @throws IllegalStateException if the list is closed
     */
    public int lengthAcquire() {
        final int published = (int) LENGTH.getAcquire(this);
        if (published == CLOSED) {
            throw new IllegalStateException("postings list is closed");
        }
        return published;
    }

    /** A new iterator over the ids published now; to avoid the allocation, reset one instead. */
    public PostingsListIterator iterator() {
        return new PostingsListIterator().reset(this);
    }

    /**
     * Sets bit {@code id & 63} of {@code bits[id >>> 6]} for every id published now that is below
     * {@code limit}, for a union of many lists into a bitmap: one pass over each segment, a word of
     * bits stored at a time. Any reader thread, like {@link #iterator()}; allocates nothing.
     *
     * @throws IllegalStateException if the list is closed
     * @throws ArrayIndexOutOfBoundsException if {@code bits} is too short for an id below {@code limit}
     */
    public void orInto(final long[] bits, final int limit) {
        final int published = lengthAcquire();
        int word = -1;
        long wordBits = 0;
        for (int segment = 0, start = 0; start < published; segment++) {
            final int end = Math.min(published, start + PostingsListLayout.segmentCapacity(segment));
            final int handle = block(segment);
            final MemorySegment page = memory.page(handle);
            final long base = PostingsMemory.offset(handle);
            for (int i = 0; i < end - start; i++) {
                final int id = page.get(PostingsMemory.ID, base + (long) i * PostingsListLayout.ID_BYTES);
                if (id >= limit) {
                    start = published; // ids ascend: none further is below limit
                    break;
                }
                if (id >>> 6 != word) {
                    if (word >= 0) {
                        bits[word] |= wordBits;
                    }
                    word = id >>> 6;
                    wordBits = 0;
                }
                wordBits |= 1L << id;
            }
            start = Math.max(start, end);
        }
        if (word >= 0) {
            bits[word] |= wordBits;
        }
    }

    /** Bytes of off-heap blocks this list holds (writer thread only). */
    public long blockBytes() {
        long bytes = 0;
        for (int segment = 0; segment < segmentsHeld; segment++) {
            bytes += PostingsMemory.blockBytes(PostingsListLayout.sizeClass(segment));
        }
        return bytes;
    }

    /** Gives the blocks back to the memory. Writer thread only, once, after readers are done. */
    @Override
    public void close() {
        if (length == CLOSED) {
            throw new IllegalStateException("postings list already closed");
        }
        LENGTH.setRelease(this, CLOSED);
        for (int segment = 0; segment < segmentsHeld; segment++) {
            memory.freeBlock(block(segment), PostingsListLayout.sizeClass(segment));
        }
        block0 = PostingsMemory.NO_BLOCK;
        block1 = PostingsMemory.NO_BLOCK;
        block2 = PostingsMemory.NO_BLOCK;
        moreBlocks = null;
        segmentsHeld = 0;
    }
}
