package io.tidemark.index.postings;

import io.tidemark.memory.MemoryTag;
import io.tidemark.memory.NativeAllocator;
import io.tidemark.memory.PagePool;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * The off-heap memory shared by many {@link PostingsList}s: a slab allocator of power-of-two blocks
 * (16 B to 64 KiB, size classes 0 to 12) carved from the 64 KiB pages of a {@link PagePool} that
 * takes its slabs from the {@link NativeAllocator} under {@link MemoryTag#INDEX}.
 *
 * <p>Each size class carves blocks from a page of its own, so blocks pack a page with no gaps. A
 * freed block goes onto its class's free list (the link is kept in the block's first int) and is
 * handed out again; a freed 64 KiB block goes back to the page pool. Pages go back to the allocator
 * only on {@link #close()}. A block is named by an int handle, {@code page << 12 | offset / 16}, so
 * a list keeps 4 bytes per segment on the heap rather than a {@link MemorySegment}.
 *
 * <p>Thread-safety: allocating and freeing blocks takes this object's lock (writers do it once per
 * segment, not per id); {@link #page(int)} and {@link #offset(int)} are lock-free and may be called
 * by any reader that learned the handle through a happens-before edge. Closing frees every page:
 * the caller must have closed or abandoned every list and stopped every reader first.
 */
public final class PostingsMemory implements AutoCloseable {
    /** Bytes per page, and the largest block. */
    public static final int PAGE_SIZE = 1 << 16;
    /** The most pages a handle can name. */
    public static final int MAX_PAGES = 1 << 19;
    /** No block. */
    static final int NO_BLOCK = -1;
    static final int SIZE_CLASSES = 13;
    static final ValueLayout.OfInt ID = ValueLayout.JAVA_INT; // native order: in-memory only, never persisted
    private static final int FULL_PAGE_CLASS = SIZE_CLASSES - 1;
    private static final int UNIT_SHIFT = 4;
    private static final int OFFSET_BITS = 12;
    private static final int OFFSET_MASK = (1 << OFFSET_BITS) - 1;

    private final PagePool pool;
    private final int[] freeBlock = new int[SIZE_CLASSES];
    private final int[] carvingPage = new int[SIZE_CLASSES];
    private final int[] carvingOffset = new int[SIZE_CLASSES];
    private long blockBytesInUse;
    private boolean closed;

    /**
     * @param allocator    where pages come from, accounted under {@link MemoryTag#INDEX}
     * @param pagesPerSlab 64 KiB pages taken from the allocator at a time
     * @param maxPages     the most pages this memory will hold, a multiple of {@code pagesPerSlab}
     *                     and at most {@link #MAX_PAGES}
     */
    public PostingsMemory(final NativeAllocator allocator, final int pagesPerSlab, final int maxPages) {
        if (maxPages > MAX_PAGES) {
            throw new IllegalArgumentException("maxPages too large: maxPages=" + maxPages + " limit=" + MAX_PAGES);
        }
        this.pool = new PagePool(allocator, MemoryTag.INDEX, PAGE_SIZE, pagesPerSlab, maxPages);
        Arrays.fill(freeBlock, NO_BLOCK);
        Arrays.fill(carvingPage, NO_BLOCK);
    }

    /** The page that holds block {@code handle}; lock-free, allocates nothing. */
    MemorySegment page(final int handle) {
        return pool.page(handle >>> OFFSET_BITS);
    }

    /** The byte offset of block {@code handle} within its {@link #page(int)}. */
    static long offset(final int handle) {
        return (long) (handle & OFFSET_MASK) << UNIT_SHIFT;
    }

    /** Bytes of a block of {@code sizeClass}. */
    static int blockBytes(final int sizeClass) {
        return 1 << (sizeClass + UNIT_SHIFT);
    }

    /**
     * Takes a block of {@code sizeClass}; its contents are whatever its last user left.
     *
     * @throws IllegalStateException if all {@code maxPages} pages are in use
     * @throws io.tidemark.memory.NativeMemoryLimitException if a new slab would exceed the allocator's limit
     */
    synchronized int allocateBlock(final int sizeClass) {
        if (closed) {
            throw new IllegalStateException("postings memory is closed");
        }
        final int bytes = blockBytes(sizeClass);
        final int free = freeBlock[sizeClass];
        final int handle;
        if (free != NO_BLOCK) {
            freeBlock[sizeClass] = page(free).get(ID, offset(free));
            handle = free;
        } else if (sizeClass == FULL_PAGE_CLASS) {
            handle = acquirePage() << OFFSET_BITS;
        } else {
            if (carvingPage[sizeClass] == NO_BLOCK || carvingOffset[sizeClass] == PAGE_SIZE) {
                carvingPage[sizeClass] = acquirePage();
                carvingOffset[sizeClass] = 0;
            }
            handle = carvingPage[sizeClass] << OFFSET_BITS | carvingOffset[sizeClass] >>> UNIT_SHIFT;
            carvingOffset[sizeClass] += bytes;
        }
        blockBytesInUse += bytes;
        return handle;
    }

    /** Gives back a block taken with {@link #allocateBlock(int)} for the same {@code sizeClass}. */
    synchronized void freeBlock(final int handle, final int sizeClass) {
        if (closed) {
            throw new IllegalStateException("postings memory is closed");
        }
        if (sizeClass == FULL_PAGE_CLASS) {
            pool.release(handle >>> OFFSET_BITS);
        } else {
            page(handle).set(ID, offset(handle), freeBlock[sizeClass]);
            freeBlock[sizeClass] = handle;
        }
        blockBytesInUse -= blockBytes(sizeClass);
    }

    private int acquirePage() {
        final int page = pool.acquire();
        if (page == PagePool.NO_PAGE) {
            throw new IllegalStateException("postings memory is full: maxPages=" + pool.maxPages());
        }
        return page;
    }

    /** Bytes of the blocks that lists hold now (their capacity, used or not). */
    public synchronized long blockBytesInUse() {
        return blockBytesInUse;
    }

    /** Bytes taken from the allocator: every page created, whether carved, free or in use. */
    public long reservedBytes() {
        return (long) pool.pagesCreated() * PAGE_SIZE;
    }

    /** Frees every page. Lists still open must not be used afterwards. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            pool.close();
        }
    }
}
