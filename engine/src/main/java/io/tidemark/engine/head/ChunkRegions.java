package io.tidemark.engine.head;

import io.tidemark.memory.MemoryTag;
import io.tidemark.memory.NativeAllocator;
import io.tidemark.memory.PagePool;
import io.tidemark.memory.ReaderEpochs;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Regions for open chunks, in size classes of 64, 128, ... up to {@code maxRegionBytes}, carved from
 * 64 KiB pages of a {@link PagePool} under {@link MemoryTag#HEAD_CHUNKS}. Every page holds regions of
 * one class, so a region's size follows from its page. A region is named by an int handle,
 * {@code page << 16 | offset}.
 *
 * <p>Why classes: a chunk of a gauge that repeats needs a few dozen bytes, a counter's a hundred or
 * more; a single size fitted to the larger wastes a few hundred bytes per active series. A chunk starts
 * in the class its series' previous chunk fitted in and grows into the next class when it fills (see
 * {@link HeadShard}).
 *
 * <p>Recycling: when a chunk is cut or grows, its region is retired, not freed: readers may still be
 * decoding it. It joins its class's free list once the head's {@link ReaderEpochs} say that every
 * reader that could have seen it has left. Writer (the shard thread) only, except {@link #page(int)},
 * {@link #offset(int)} and {@link #growAhead()}.
 *
 * <p>Growing ahead: the pool takes memory from the allocator a slab (1 MiB) at a time, and allocating
 * and zeroing a slab costs the writer about half a millisecond. {@link #growAhead()} lets another
 * thread do it before the writer runs out, keeping a reserve of an eighth of the pages in use, at most
 * a slab: a head that holds a few pages keeps no reserve, a busy head at most 1 MiB.
 */
final class ChunkRegions implements AutoCloseable {
    static final int PAGE_BYTES = 1 << 16;
    static final int MIN_REGION_BYTES = 64;
    static final int PAGES_PER_SLAB = 16;
    private static final int MIN_SHIFT = Integer.numberOfTrailingZeros(MIN_REGION_BYTES);

    private final PagePool pool;
    private final int maxRegionBytes;
    private final int classes;
    private final ReaderEpochs epochs;
    /** Per page, the size class of its regions. */
    private byte[] pageClass = new byte[16];
    /** Per class, free handles. */
    private final int[][] free;
    private final int[] freeCount;
    private final int[] carvingPage;
    private final int[] carvingOffset;
    /** Retired handles and the epoch each was retired at, oldest first, as a ring. */
    private int[] retired = new int[64];
    private long[] retiredAt = new long[64];
    private int retiredHead;
    private int retiredCount;
    private long regionsInUse;

    ChunkRegions(final NativeAllocator allocator, final int maxRegionBytes, final int maxPages, final ReaderEpochs epochs) {
        if (maxRegionBytes < MIN_REGION_BYTES || Integer.bitCount(maxRegionBytes) != 1 || maxRegionBytes > PAGE_BYTES) {
            throw new IllegalArgumentException("regionBytes must be a power of two in [64, 65536]: " + maxRegionBytes);
        }
        this.pool = new PagePool(allocator, MemoryTag.HEAD_CHUNKS, PAGE_BYTES, PAGES_PER_SLAB, maxPages);
        this.maxRegionBytes = maxRegionBytes;
        this.classes = Integer.numberOfTrailingZeros(maxRegionBytes) - MIN_SHIFT + 1;
        this.epochs = epochs;
        this.free = new int[classes][16];
        this.freeCount = new int[classes];
        this.carvingPage = new int[classes];
        this.carvingOffset = new int[classes];
        Arrays.fill(carvingPage, PagePool.NO_PAGE);
    }

    /**
     * Grows the page pool by a slab if its free pages are below the reserve (an eighth of the pages in
     * use, at most a slab); any thread. Returns whether it grew.
     *
     * @throws io.tidemark.memory.NativeMemoryLimitException if the slab would exceed the allocator's limit
     */
    boolean growAhead() {
        final int reserve = Math.min(PAGES_PER_SLAB, pool.pagesInUse() / 8);
        return reserve > 0 && pool.growAhead(reserve);
    }

    /** Bytes of the largest class. */
    int maxRegionBytes() {
        return maxRegionBytes;
    }

    /** The largest class. */
    int maxClass() {
        return classes - 1;
    }

    /** Bytes of a region of class {@code sizeClass}. */
    static int classBytes(final int sizeClass) {
        return MIN_REGION_BYTES << sizeClass;
    }

    /** The smallest class of at least {@code bytes}, or the largest class. */
    int classFor(final long bytes) {
        int sizeClass = 0;
        while (sizeClass < classes - 1 && classBytes(sizeClass) < bytes) {
            sizeClass++;
        }
        return sizeClass;
    }

    /** The size class of region {@code handle}. Writer only. */
    int classOf(final int handle) {
        return pageClass[handle >>> 16];
    }

    /** The bytes of region {@code handle}. Writer only. */
    int bytes(final int handle) {
        return classBytes(pageClass[handle >>> 16]);
    }

    /** The page of region {@code handle}. Any thread that learned the handle through a release. */
    MemorySegment page(final int handle) {
        return pool.page(handle >>> 16);
    }

    /** The byte offset of region {@code handle} within its page. */
    static long offset(final int handle) {
        return handle & 0xFFFF;
    }

    /**
     * A region of class {@code sizeClass} for a chunk; its contents are whatever its last user left.
     *
     * @throws io.tidemark.memory.NativeMemoryLimitException if a new slab would pass the allocator's limit
     * @throws IllegalStateException if the pool's page limit is reached
     */
    int allocate(final int sizeClass) {
        reclaim();
        if (freeCount[sizeClass] > 0) {
            regionsInUse++;
            return free[sizeClass][--freeCount[sizeClass]];
        }
        if (carvingPage[sizeClass] == PagePool.NO_PAGE || carvingOffset[sizeClass] == PAGE_BYTES) {
            final int page = pool.acquire();
            if (page == PagePool.NO_PAGE) {
                throw new IllegalStateException("head chunk memory is full: " + pool.maxPages() + " pages of 64 KiB in use");
            }
            if (page >= pageClass.length) {
                pageClass = Arrays.copyOf(pageClass, Math.max(pageClass.length * 2, page + 1));
            }
            pageClass[page] = (byte) sizeClass;
            carvingPage[sizeClass] = page;
            carvingOffset[sizeClass] = 0;
        }
        final int handle = carvingPage[sizeClass] << 16 | carvingOffset[sizeClass];
        carvingOffset[sizeClass] += classBytes(sizeClass);
        regionsInUse++;
        return handle;
    }

    /** Gives back a region that was allocated but never published to readers. */
    void giveBackUnused(final int handle) {
        pushFree(handle);
        regionsInUse--;
    }

    private void pushFree(final int handle) {
        final int sizeClass = pageClass[handle >>> 16];
        if (freeCount[sizeClass] == free[sizeClass].length) {
            free[sizeClass] = Arrays.copyOf(free[sizeClass], free[sizeClass].length * 2);
        }
        free[sizeClass][freeCount[sizeClass]++] = handle;
    }

    /** Gives back a region once no reader can be decoding it. */
    void retire(final int handle) {
        if (retiredCount == retired.length) {
            final int[] handles = new int[retired.length * 2];
            final long[] epochsAt = new long[retired.length * 2];
            for (int i = 0; i < retiredCount; i++) {
                handles[i] = retired[(retiredHead + i) % retired.length];
                epochsAt[i] = retiredAt[(retiredHead + i) % retired.length];
            }
            retired = handles;
            retiredAt = epochsAt;
            retiredHead = 0;
        }
        final int tail = (retiredHead + retiredCount) % retired.length;
        retired[tail] = handle;
        retiredAt[tail] = epochs.epoch();
        retiredCount++;
        regionsInUse--;
    }

    /** Moves retired regions that no reader can hold onto the free list. */
    void reclaim() {
        while (retiredCount > 0 && epochs.safeToFree(retiredAt[retiredHead])) {
            pushFree(retired[retiredHead]);
            retiredHead = (retiredHead + 1) % retired.length;
            retiredCount--;
        }
    }

    /** Regions holding open chunks now. */
    long regionsInUse() {
        return regionsInUse;
    }

    /** Off-heap bytes taken from the allocator. */
    long nativeBytes() {
        return (long) pool.pagesCreated() * PAGE_BYTES;
    }

    @Override
    public void close() {
        pool.close();
    }
}
