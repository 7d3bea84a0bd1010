package io.tidemark.tiering.cache;

import io.tidemark.memory.MemoryTag;
import io.tidemark.memory.NativeAllocator;
import io.tidemark.memory.NativeMemoryLimitException;
import io.tidemark.memory.PagePool;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Decoded chunks of sealed blocks, kept off-heap for queries that read them again, with
 * least-recently-used eviction within a byte budget.
 *
 * <p>A chunk is named by its block's number (chosen by the caller; a number is never reused for
 * another block while the cache lives, or the block's entries are dropped first with
 * {@link #invalidateBlock}) and its chunk reference in that block. Its samples are stored as
 * timestamps and raw value bits in frames of {@value #SAMPLES_PER_FRAME} samples (1 KiB), chained
 * when a chunk is longer; frames live in 64 KiB pages taken from the allocator under
 * {@link MemoryTag#CHUNK_CACHE} as the cache fills, never beyond the budget. When no frame is free
 * and the budget is spent, the least recently used chunks are evicted until the new one fits. The
 * budget counts frame bytes only; the bookkeeping (about 40 heap bytes per frame) comes on top.
 *
 * <p>Concurrency: the cache is split into stripes by the hash of the key, each with its own budget
 * share, frames, hash table and recency list under its own monitor; a get or put holds one stripe
 * for the copy of the chunk's samples (about 2 KiB for a chunk of 120).
 *
 * <p>Allocation: {@link #get} and {@link #put} allocate nothing on the heap; a put may take a page
 * from the allocator while the cache grows to its budget.
 */
public final class DecodedChunkCache implements AutoCloseable {
    /** Samples per frame. */
    public static final int SAMPLES_PER_FRAME = 64;
    /** Bytes per frame: the timestamps, then the value bits. */
    public static final int FRAME_BYTES = SAMPLES_PER_FRAME * 2 * Long.BYTES;
    private static final int PAGE_BYTES = 1 << 16;
    private static final int FRAMES_PER_PAGE = PAGE_BYTES / FRAME_BYTES;
    private static final int PAGE_SHIFT = Integer.numberOfTrailingZeros(FRAMES_PER_PAGE);

    private final Stripe[] stripes;
    private final int stripeMask;
    private final long budgetBytes;

    /**
     * @param budgetBytes the most frame bytes the cache holds, at least one page (64 KiB) per stripe
     * @param stripes     independent parts, a power of two (more stripes, less contention between
     *                    querying threads)
     */
    public DecodedChunkCache(final NativeAllocator allocator, final long budgetBytes, final int stripes) {
        if (stripes <= 0 || Integer.bitCount(stripes) != 1) {
            throw new IllegalArgumentException("stripes must be a power of two: stripes=" + stripes);
        }
        final long pagesPerStripe = budgetBytes / stripes / PAGE_BYTES;
        if (pagesPerStripe < 1) {
            throw new IllegalArgumentException("budget too small: at least " + PAGE_BYTES + " bytes per stripe are needed: budgetBytes="
                + budgetBytes + " stripes=" + stripes);
        }
        if (pagesPerStripe * FRAMES_PER_PAGE > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("budget too large per stripe: budgetBytes=" + budgetBytes + " stripes=" + stripes);
        }
        this.stripes = new Stripe[stripes];
        for (int i = 0; i < stripes; i++) {
            this.stripes[i] = new Stripe(allocator, (int) pagesPerStripe);
        }
        this.stripeMask = stripes - 1;
        this.budgetBytes = pagesPerStripe * PAGE_BYTES * stripes;
    }

    /**
     * Copies the cached samples of chunk {@code ref} of block {@code block} into the arrays and marks
     * it most recently used.
     *
     * @return the number of samples, or -1 if the chunk is not cached (a miss)
     * @throws IllegalArgumentException if the arrays are shorter than the chunk
     */
    public int get(final int block, final long ref, final long[] timestamps, final double[] values) {
        final long hash = hash(block, ref);
        return stripe(hash).get(hash, block, ref, timestamps, values);
    }

    /**
     * Caches the first {@code count} samples of the arrays as chunk {@code ref} of block
     * {@code block}, evicting least recently used chunks as the budget requires. A chunk already
     * cached is only marked most recently used; one larger than a stripe's budget is not cached.
     *
     * @return true if the chunk is in the cache afterwards
     */
    public boolean put(final int block, final long ref, final long[] timestamps, final double[] values, final int count) {
        if (count < 0 || count > timestamps.length || count > values.length) {
            throw new IllegalArgumentException("count out of range: count=" + count + " timestamps=" + timestamps.length
                + " values=" + values.length);
        }
        final long hash = hash(block, ref);
        return stripe(hash).put(hash, block, ref, timestamps, values, count);
    }

    /** Drops every cached chunk of block {@code block}, as when the block is deleted; returns how many. */
    public int invalidateBlock(final int block) {
        int dropped = 0;
        for (final Stripe stripe : stripes) {
            dropped += stripe.invalidateBlock(block);
        }
        return dropped;
    }

    /** Lookups that found their chunk. */
    public long hits() {
        long sum = 0;
        for (final Stripe stripe : stripes) {
            sum += stripe.hits();
        }
        return sum;
    }

    /** Lookups that did not. */
    public long misses() {
        long sum = 0;
        for (final Stripe stripe : stripes) {
            sum += stripe.misses();
        }
        return sum;
    }

    /** Chunks evicted to make room (not those dropped by {@link #invalidateBlock}). */
    public long evictions() {
        long sum = 0;
        for (final Stripe stripe : stripes) {
            sum += stripe.evictions();
        }
        return sum;
    }

    /** Chunks cached now. */
    public int entries() {
        int sum = 0;
        for (final Stripe stripe : stripes) {
            sum += stripe.entries();
        }
        return sum;
    }

    /** Frame bytes holding cached chunks now. */
    public long bytesInUse() {
        long sum = 0;
        for (final Stripe stripe : stripes) {
            sum += (long) stripe.framesInUse() * FRAME_BYTES;
        }
        return sum;
    }

    /** The most frame bytes the cache holds (the budget rounded down to whole pages per stripe). */
    public long budgetBytes() {
        return budgetBytes;
    }

    /**
     * Frees every page. Idempotent. Afterwards {@link #get} misses, {@link #put} refuses and
     * {@link #invalidateBlock} does nothing, so a query that finishes after its database closed is harmless.
     */
    @Override
    public void close() {
        for (final Stripe stripe : stripes) {
            stripe.close();
        }
    }

    private Stripe stripe(final long hash) {
        return stripes[(int) (hash >>> 40) & stripeMask];
    }

    /** A 64-bit mix of the key (the finaliser of SplitMix64). */
    static long hash(final int block, final long ref) {
        long z = ref * 0x9E3779B97F4A7C15L + block;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /**
     * One stripe: frames in pages from its own pool; per frame, the next frame of its chunk; per
     * chunk (named by its first frame), key, sample count and recency links; an open-addressing hash
     * table of first frames + 1 (0 is empty), linear probing, deletion by backward shift.
     */
    private static final class Stripe {
        private static final int NONE = -1;

        private final PagePool pool;
        private final MemorySegment[] pages;
        private int pageCount;
        private final int[] nextFrame;
        private final int[] entryBlock;
        private final long[] entryRef;
        private final int[] entryCount;
        private final int[] newer;
        private final int[] older;
        private final int[] table;
        private final int tableMask;
        private int freeTop = NONE;
        private int freeFrames;
        private int framesInUse;
        private int entries;
        private int newest = NONE;
        private int oldest = NONE;
        private long hits;
        private long misses;
        private long evictions;

        Stripe(final NativeAllocator allocator, final int maxPages) {
            this.pool = new PagePool(allocator, MemoryTag.CHUNK_CACHE, PAGE_BYTES, 1, maxPages);
            this.pages = new MemorySegment[maxPages];
            final int frames = maxPages * FRAMES_PER_PAGE;
            this.nextFrame = new int[frames];
            this.entryBlock = new int[frames];
            this.entryRef = new long[frames];
            this.entryCount = new int[frames];
            this.newer = new int[frames];
            this.older = new int[frames];
            this.table = new int[Integer.highestOneBit(frames) << 2];
            this.tableMask = table.length - 1;
        }

        /** Set by {@link #close()}: from then on gets miss, puts refuse and invalidation has nothing to do. */
        private boolean closed;

        synchronized int get(final long hash, final int block, final long ref, final long[] timestamps, final double[] values) {
            if (closed) {
                return -1;
            }
            final int slot = find(hash, block, ref);
            if (slot < 0) {
                misses++;
                return -1;
            }
            final int first = table[slot] - 1;
            final int count = entryCount[first];
            if (count > timestamps.length || count > values.length) {
                throw new IllegalArgumentException("arrays too short for the cached chunk: samples=" + count
                    + " timestamps=" + timestamps.length + " values=" + values.length);
            }
            hits++;
            unlink(first);
            linkNewest(first);
            int frame = first;
            for (int at = 0; at < count; at += SAMPLES_PER_FRAME) {
                final int n = Math.min(SAMPLES_PER_FRAME, count - at);
                final MemorySegment page = pages[frame >>> PAGE_SHIFT];
                final long offset = (long) (frame & (FRAMES_PER_PAGE - 1)) * FRAME_BYTES;
                MemorySegment.copy(page, ValueLayout.JAVA_LONG, offset, timestamps, at, n);
                MemorySegment.copy(page, ValueLayout.JAVA_DOUBLE, offset + SAMPLES_PER_FRAME * Long.BYTES, values, at, n);
                frame = nextFrame[frame];
            }
            return count;
        }

        synchronized boolean put(final long hash, final int block, final long ref, final long[] timestamps,
                                 final double[] values, final int count) {
            if (closed) {
                return false;
            }
            final int existing = find(hash, block, ref);
            if (existing >= 0) {
                final int first = table[existing] - 1;
                unlink(first);
                linkNewest(first);
                return true;
            }
            final int needed = Math.max(1, (count + SAMPLES_PER_FRAME - 1) / SAMPLES_PER_FRAME);
            if (needed > nextFrame.length) {
                return false;
            }
            while (freeFrames < needed) {
                if (!addPage()) {
                    if (oldest == NONE) {
                        return false; // the allocator's limit keeps the cache below its budget
                    }
                    evict(oldest);
                    evictions++;
                }
            }
            int first = NONE;
            int previous = NONE;
            for (int at = 0, i = 0; i < needed; i++, at += SAMPLES_PER_FRAME) {
                final int frame = popFree();
                if (previous == NONE) {
                    first = frame;
                } else {
                    nextFrame[previous] = frame;
                }
                nextFrame[frame] = NONE;
                final int n = Math.min(SAMPLES_PER_FRAME, count - at);
                if (n > 0) {
                    final MemorySegment page = pages[frame >>> PAGE_SHIFT];
                    final long offset = (long) (frame & (FRAMES_PER_PAGE - 1)) * FRAME_BYTES;
                    MemorySegment.copy(timestamps, at, page, ValueLayout.JAVA_LONG, offset, n);
                    MemorySegment.copy(values, at, page, ValueLayout.JAVA_DOUBLE, offset + SAMPLES_PER_FRAME * Long.BYTES, n);
                }
                previous = frame;
            }
            entryBlock[first] = block;
            entryRef[first] = ref;
            entryCount[first] = count;
            linkNewest(first);
            int slot = (int) hash & tableMask;
            while (table[slot] != 0) {
                slot = (slot + 1) & tableMask;
            }
            table[slot] = first + 1;
            entries++;
            return true;
        }

        synchronized int invalidateBlock(final int block) {
            if (closed) {
                return 0;
            }
            int dropped = 0;
            int entry = oldest;
            while (entry != NONE) {
                final int next = newer[entry];
                if (entryBlock[entry] == block) {
                    evict(entry);
                    dropped++;
                }
                entry = next;
            }
            return dropped;
        }

        synchronized long hits() {
            return hits;
        }

        synchronized long misses() {
            return misses;
        }

        synchronized long evictions() {
            return evictions;
        }

        synchronized int entries() {
            return entries;
        }

        synchronized int framesInUse() {
            return framesInUse;
        }

        synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            pool.close();
            Arrays.fill(table, 0);
            Arrays.fill(pages, null);
            entries = 0;
            framesInUse = 0;
        }

        /** The table slot holding the chunk, or -1. */
        private int find(final long hash, final int block, final long ref) {
            int slot = (int) hash & tableMask;
            while (true) {
                final int stored = table[slot];
                if (stored == 0) {
                    return -1;
                }
                final int first = stored - 1;
                if (entryRef[first] == ref && entryBlock[first] == block) {
                    return slot;
                }
                slot = (slot + 1) & tableMask;
            }
        }

        /** Takes one more page from the pool and frees its frames; false at the budget. */
        private boolean addPage() {
            if (pageCount == pages.length) {
                return false;
            }
            final int id;
            try {
                id = pool.acquire();
            } catch (final NativeMemoryLimitException atLimit) {
                return false; // a cache gives way to the allocator's limit: it evicts instead
            }
            if (id == PagePool.NO_PAGE) {
                return false;
            }
            pages[pageCount] = pool.page(id);
            for (int i = FRAMES_PER_PAGE - 1; i >= 0; i--) {
                pushFree(pageCount * FRAMES_PER_PAGE + i);
            }
            pageCount++;
            return true;
        }

        /** Removes a chunk: from the table, the recency list, and gives its frames back. */
        private void evict(final int first) {
            final int slot = find(hash(entryBlock[first], entryRef[first]), entryBlock[first], entryRef[first]);
            removeSlot(slot);
            unlink(first);
            int frame = first;
            while (frame != NONE) {
                final int next = nextFrame[frame];
                pushFree(frame);
                framesInUse--;
                frame = next;
            }
            entries--;
        }

        /** Deletes a table slot, shifting back the entries of the probe run behind it. */
        private void removeSlot(final int slot) {
            int hole = slot;
            int probe = (slot + 1) & tableMask;
            while (table[probe] != 0) {
                final int first = table[probe] - 1;
                final int home = (int) hash(entryBlock[first], entryRef[first]) & tableMask;
                // The entry may move back into the hole unless its home lies cyclically in (hole, probe].
                final boolean homeBetween = hole <= probe ? home > hole && home <= probe : home > hole || home <= probe;
                if (!homeBetween) {
                    table[hole] = table[probe];
                    hole = probe;
                }
                probe = (probe + 1) & tableMask;
            }
            table[hole] = 0;
        }

        private void pushFree(final int frame) {
            nextFrame[frame] = freeTop;
            freeTop = frame;
            freeFrames++;
        }

        private int popFree() {
            final int frame = freeTop;
            freeTop = nextFrame[frame];
            freeFrames--;
            framesInUse++;
            return frame;
        }

        private void linkNewest(final int entry) {
            older[entry] = newest;
            newer[entry] = NONE;
            if (newest != NONE) {
                newer[newest] = entry;
            }
            newest = entry;
            if (oldest == NONE) {
                oldest = entry;
            }
        }

        private void unlink(final int entry) {
            final int before = older[entry];
            final int after = newer[entry];
            if (before != NONE) {
                newer[before] = after;
            } else {
                oldest = after;
            }
            if (after != NONE) {
                older[after] = before;
            } else {
                newest = before;
            }
        }
    }
}
