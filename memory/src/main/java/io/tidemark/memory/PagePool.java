package io.tidemark.memory;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A pool of fixed-size off-heap pages named by {@code int} ids. Released pages are kept and handed
 * out again; memory goes back to the allocator only when the pool is closed.
 *
 * <p>Pages are carved out of slabs of {@code pagesPerSlab} pages, taken from the {@link NativeAllocator}
 * under the pool's tag as the pool grows, up to {@code maxPages}. Each page's {@link MemorySegment}
 * slice is created once, so {@link #acquire()}, {@link #page(int)} and {@link #release(int)} allocate
 * nothing. A page comes back with whatever its last user wrote in it.
 *
 * <p>Thread-safety: acquire and release are lock-free from any thread (a Treiber stack of page ids
 * whose head carries a version stamp against ABA); only growing by a slab takes a lock. Passing a
 * page id to another thread needs the usual safe publication.
 */
public final class PagePool implements AutoCloseable {
    /** Returned by {@link #acquire()} when the pool holds {@code maxPages} pages and all are in use. */
    public static final int NO_PAGE = -1;

    private static final int FREE = 0;
    private static final int IN_USE = 1;
    private static final long INDEX_MASK = 0xFFFF_FFFFL;
    private static final VarHandle INT_ARRAY = MethodHandles.arrayElementVarHandle(int[].class);

    private final NativeAllocator allocator;
    private final MemoryTag tag;
    private final int pageSize;
    private final int pagesPerSlab;
    private final int maxPages;
    private final MemorySegment[] pages;
    private final int[] nextFree;
    private final int[] state;
    /** Version in the high 32 bits, index of the top free page (or -1) in the low 32 bits. */
    private final AtomicLong freeHead = new AtomicLong(INDEX_MASK);
    private final AtomicInteger pagesInUse = new AtomicInteger();
    private final List<Allocation> slabs = new ArrayList<>();
    private final Object growLock = new Object();
    private volatile int pagesCreated;
    private volatile boolean closed;

    /**
     * @param pageSize     bytes per page, a power of two of at least 64
     * @param pagesPerSlab pages taken from the allocator at a time
     * @param maxPages     the most pages the pool will ever hold
     */
    public PagePool(final NativeAllocator allocator, final MemoryTag tag, final int pageSize, final int pagesPerSlab,
                    final int maxPages) {
        if (pageSize < 64 || Integer.bitCount(pageSize) != 1) {
            throw new IllegalArgumentException("pageSize must be a power of two >= 64: pageSize=" + pageSize);
        }
        if (pagesPerSlab <= 0 || maxPages <= 0 || maxPages % pagesPerSlab != 0) {
            throw new IllegalArgumentException("maxPages must be a positive multiple of pagesPerSlab: pagesPerSlab="
                + pagesPerSlab + " maxPages=" + maxPages);
        }
        this.allocator = allocator;
        this.tag = tag;
        this.pageSize = pageSize;
        this.pagesPerSlab = pagesPerSlab;
        this.maxPages = maxPages;
        this.pages = new MemorySegment[maxPages];
        this.nextFree = new int[maxPages];
        this.state = new int[maxPages];
    }

    /**
     * Takes a page, growing the pool by a slab if none is free.
     *
     * @return a page id, or {@link #NO_PAGE} if the pool is at {@code maxPages} and all are in use
     * @throws NativeMemoryLimitException if growing would exceed the allocator's limit
     */
    public int acquire() {
        while (true) {
            final int id = popFree();
            if (id != NO_PAGE) {
                if (!INT_ARRAY.compareAndSet(state, id, FREE, IN_USE)) {
                    throw new IllegalStateException("page handed out twice: id=" + id);
                }
                pagesInUse.incrementAndGet();
                return id;
            }
            if (!grow(0)) {
                return NO_PAGE;
            }
        }
    }

    /** Gives a page back. Releasing a page that is not in use throws {@link IllegalStateException}. */
    public void release(final int id) {
        if (id < 0 || id >= pagesCreated) {
            throw new IllegalArgumentException("no such page: id=" + id + " pagesCreated=" + pagesCreated);
        }
        if (!INT_ARRAY.compareAndSet(state, id, IN_USE, FREE)) {
            throw new IllegalStateException("page released twice: id=" + id);
        }
        pagesInUse.decrementAndGet();
        pushFree(id);
    }

    /** The memory of page {@code id}; valid while the caller holds the page. */
    public MemorySegment page(final int id) {
        return pages[id];
    }

    private int popFree() {
        while (true) {
            final long head = freeHead.get();
            final int top = (int) (head & INDEX_MASK);
            if (top == NO_PAGE) {
                return NO_PAGE;
            }
            // A stale read of nextFree[top] (the page was popped and pushed meanwhile) is harmless:
            // the version in head has moved on and the CAS fails.
            final int next = (int) INT_ARRAY.getOpaque(nextFree, top);
            final long newHead = ((head >>> 32) + 1) << 32 | (next & INDEX_MASK);
            if (freeHead.compareAndSet(head, newHead)) {
                return top;
            }
        }
    }

    private void pushFree(final int id) {
        while (true) {
            final long head = freeHead.get();
            INT_ARRAY.setOpaque(nextFree, id, (int) head);
            final long newHead = ((head >>> 32) + 1) << 32 | (id & INDEX_MASK);
            if (freeHead.compareAndSet(head, newHead)) { // volatile CAS publishes nextFree[id]
                return;
            }
        }
    }

    /**
     * Grows the pool by one slab ahead of need if fewer than {@code minFree} pages are free, so that
     * the owner's next {@link #acquire()}s do not pay for allocating and zeroing a slab (about half a
     * millisecond for 1 MiB on a virtual machine, page faults included). For a helper thread that keeps
     * a reserve; any thread.
     *
     * @return true if the pool grew; false if enough pages were free, the pool is at its maximum, or
     *     it is closed
     * @throws NativeMemoryLimitException if growing would exceed the allocator's limit
     */
    public boolean growAhead(final int minFree) {
        if (minFree <= 0) {
            throw new IllegalArgumentException("minFree must be positive: minFree=" + minFree);
        }
        synchronized (growLock) {
            return !closed && freePages() < minFree && grow(minFree);
        }
    }

    /** Pages created and not in use; a snapshot. */
    public int freePages() {
        return pagesCreated - pagesInUse.get();
    }

    /**
     * Adds a slab of free pages; false if the pool is at its maximum. With {@code minFree} 0 it adds
     * one only if the free list is empty (another thread may have grown the pool or released a page).
     */
    private boolean grow(final int minFree) {
        synchronized (growLock) {
            if (closed) {
                throw new IllegalStateException("page pool is closed: tag=" + tag);
            }
            if (minFree == 0 && (int) (freeHead.get() & INDEX_MASK) != NO_PAGE) {
                return true;
            }
            final int first = pagesCreated;
            if (first == maxPages) {
                return false;
            }
            final Allocation slab = allocator.allocate(tag, (long) pageSize * pagesPerSlab, pageSize);
            slabs.add(slab);
            final MemorySegment memory = slab.segment();
            for (int i = 0; i < pagesPerSlab; i++) {
                pages[first + i] = memory.asSlice((long) i * pageSize, pageSize);
            }
            pagesCreated = first + pagesPerSlab;
            for (int i = pagesPerSlab - 1; i >= 0; i--) {
                pushFree(first + i);
            }
            return true;
        }
    }

    /** Bytes per page. */
    public int pageSize() {
        return pageSize;
    }

    /** Pages currently handed out. */
    public int pagesInUse() {
        return pagesInUse.get();
    }

    /** Pages the pool holds, in use or free. */
    public int pagesCreated() {
        return pagesCreated;
    }

    /** The most pages the pool will hold. */
    public int maxPages() {
        return maxPages;
    }

    /**
     * Frees every slab. Pages still in use become invalid: touching them fails with
     * {@link IllegalStateException}. Callers check {@link #pagesInUse()} first if that is a leak.
     */
    @Override
    public void close() {
        synchronized (growLock) {
            if (closed) {
                return;
            }
            closed = true;
            for (final Allocation slab : slabs) {
                slab.close();
            }
            slabs.clear();
        }
    }
}
