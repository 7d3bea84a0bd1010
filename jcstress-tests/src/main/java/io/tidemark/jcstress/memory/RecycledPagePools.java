package io.tidemark.jcstress.memory;

import io.tidemark.memory.MemoryTag;
import io.tidemark.memory.NativeAllocator;
import io.tidemark.memory.PagePool;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Page pools of one shape handed from the {@code @Arbiter} of a finished jcstress state to the
 * constructor of the next one.
 *
 * <p>Why: jcstress creates millions of states and has no teardown hook. A pool's slab lives in a
 * shared {@link java.lang.foreign.Arena}, which is freed only by closing it. Never closing leaked
 * about 190 bytes of native memory per state (a quick-mode fork reached 958 MB RSS instead of
 * 380 MB); closing each pool in its arbiter costs a thread handshake of about 20 microseconds and
 * cut the sampling rate from about 590,000 to 17,500 states a second. Recycling keeps the number of
 * pools at the number of states jcstress holds at once.
 *
 * <p>Every pool {@link #take()} returns is fully grown, has all pages free with page 0 on top of the
 * free list, then 1, 2 and so on (the order a fresh pool hands them out), and has every page zeroed.
 *
 * <p>Thread-safety: {@link #take()} and {@link #giveBack(PagePool)} may be called from any thread;
 * the queue orders a give-back before the take that receives the pool.
 */
final class RecycledPagePools {
    /** Bytes per page: the smallest a {@link PagePool} allows. */
    static final int PAGE_SIZE = 64;

    private static final long ALLOCATOR_LIMIT_BYTES = 1L << 20;

    private final int pagesPerSlab;
    private final int maxPages;
    private final ConcurrentLinkedQueue<PagePool> idle = new ConcurrentLinkedQueue<>();

    RecycledPagePools(final int pagesPerSlab, final int maxPages) {
        this.pagesPerSlab = pagesPerSlab;
        this.maxPages = maxPages;
    }

    /** A fresh pool with its own allocator, no slab taken yet. */
    static PagePool newEmptyPool(final NativeAllocator allocator, final int pagesPerSlab, final int maxPages) {
        return new PagePool(allocator, MemoryTag.TEST, PAGE_SIZE, pagesPerSlab, maxPages);
    }

    /** A fully grown pool with every page free, page 0 first, contents zeroed. */
    PagePool take() {
        final PagePool recycled = idle.poll();
        if (recycled != null) {
            return recycled;
        }
        final PagePool pool = newEmptyPool(NativeAllocator.withLimit(ALLOCATOR_LIMIT_BYTES), pagesPerSlab, maxPages);
        for (int i = 0; i < maxPages; i++) {
            pool.acquire();
        }
        releaseAllInOrder(pool);
        return pool;
    }

    /**
     * Takes back a pool whose state has been recorded, whatever its pages' states. A pool whose free
     * list is no longer consistent (a failing outcome has already shown it) is closed, not reused.
     */
    void giveBack(final PagePool pool) {
        try {
            int taken = 0;
            while (pool.acquire() != PagePool.NO_PAGE) {
                if (++taken > maxPages) {
                    throw new IllegalStateException("free list longer than the pool: maxPages=" + maxPages);
                }
            }
            // Every page is in use now; releasing them all restores the fresh order.
            releaseAllInOrder(pool);
        } catch (final IllegalStateException corrupted) {
            pool.close();
            return;
        }
        idle.offer(pool);
    }

    private void releaseAllInOrder(final PagePool pool) {
        for (int id = maxPages - 1; id >= 0; id--) {
            pool.page(id).fill((byte) 0);
            pool.release(id);
        }
    }
}
