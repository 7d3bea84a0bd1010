package io.tidemark.engine.head;

import io.tidemark.memory.MemoryTag;
import io.tidemark.memory.NativeAllocator;
import io.tidemark.memory.PagePool;
import io.tidemark.memory.ReaderEpochs;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * Fixed-size regions for open chunks, carved from 64 KiB pages of a {@link PagePool} under
 * {@link MemoryTag#HEAD_CHUNKS}. A region is named by an int handle, {@code page << 16 | offset}.
 *
 * <p>Recycling: when a chunk is cut its region is retired, not freed: readers may still be decoding
 * it. It joins the free list once the head's {@link ReaderEpochs} say that every reader that could
 * have seen it has left. Writer (the shard thread) only, except {@link #page(int)} and
 * {@link #offset(int)}.
 */
final class ChunkRegions implements AutoCloseable {
    static final int PAGE_BYTES = 1 << 16;

    private final PagePool pool;
    private final int regionBytes;
    private final ReaderEpochs epochs;
    private int[] free = new int[64];
    private int freeCount;
    private int carvingPage = PagePool.NO_PAGE;
    private int carvingOffset;
    /** Retired handles and the epoch each was retired at, oldest first, as a ring. */
    private int[] retired = new int[64];
    private long[] retiredAt = new long[64];
    private int retiredHead;
    private int retiredCount;
    private long regionsInUse;

    ChunkRegions(final NativeAllocator allocator, final int regionBytes, final int maxPages, final ReaderEpochs epochs) {
        if (regionBytes < 64 || Integer.bitCount(regionBytes) != 1 || regionBytes > PAGE_BYTES) {
            throw new IllegalArgumentException("regionBytes must be a power of two in [64, 65536]: " + regionBytes);
        }
        this.pool = new PagePool(allocator, MemoryTag.HEAD_CHUNKS, PAGE_BYTES, 16, maxPages);
        this.regionBytes = regionBytes;
        this.epochs = epochs;
    }

    int regionBytes() {
        return regionBytes;
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
     * A region for a new chunk; its contents are whatever its last user left.
     *
     * @throws io.tidemark.memory.NativeMemoryLimitException if a new slab would pass the allocator's limit
     * @throws IllegalStateException if the pool's page limit is reached
     */
    int allocate() {
        reclaim();
        regionsInUse++;
        if (freeCount > 0) {
            return free[--freeCount];
        }
        if (carvingPage == PagePool.NO_PAGE || carvingOffset == PAGE_BYTES) {
            final int page = pool.acquire();
            if (page == PagePool.NO_PAGE) {
                regionsInUse--;
                throw new IllegalStateException("head chunk memory is full: " + pool.maxPages() + " pages of 64 KiB in use");
            }
            carvingPage = page;
            carvingOffset = 0;
        }
        final int handle = carvingPage << 16 | carvingOffset;
        carvingOffset += regionBytes;
        return handle;
    }

    /** Gives back a region that was allocated but never published to readers. */
    void giveBackUnused(final int handle) {
        if (freeCount == free.length) {
            free = Arrays.copyOf(free, free.length * 2);
        }
        free[freeCount++] = handle;
        regionsInUse--;
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
            if (freeCount == free.length) {
                free = Arrays.copyOf(free, free.length * 2);
            }
            free[freeCount++] = retired[retiredHead];
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
