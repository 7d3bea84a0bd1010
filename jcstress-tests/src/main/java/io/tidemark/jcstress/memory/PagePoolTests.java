package io.tidemark.jcstress.memory;

import io.tidemark.memory.MemoryTag;
import io.tidemark.memory.NativeAllocator;
import io.tidemark.memory.PagePool;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.IIII_Result;

/**
 * Concurrency scenarios for {@link PagePool}: a Treiber stack of page ids with a version-stamped
 * head, a per-page state word that catches double hand-out and double release, and growth by a slab
 * under a lock.
 *
 * <p>Result codes: a page id, {@link PagePool#NO_PAGE} ({@code -1}), or {@link #POOL_DETECTED_DOUBLE_USE}
 * ({@code -2}) when the pool's own state check threw, so a broken free list shows up as counted
 * outcomes rather than as an opaque test error.
 *
 * <p>Memory: each state holds a pool of 64-byte pages with one small slab. jcstress has no teardown
 * hook, so each scenario's {@link Arbiter} records the outcome and then hands the pool back to a
 * {@link RecycledPagePools}, which restores the fresh state for the next state's constructor. Only
 * the growth scenario needs a pool without a slab; it closes its pool in the arbiter instead.
 *
 * <p>The scenario classes are not final because the jcstress annotation processor refuses final
 * {@link State} classes.
 */
public final class PagePoolTests {
    /** Result code: the pool threw because its per-page state saw a page handed out twice. */
    static final int POOL_DETECTED_DOUBLE_USE = -2;
    /** Result code: a release succeeded. */
    static final int RELEASED = 1;
    /** Result code: a release was refused as a double release. */
    static final int REJECTED_AS_DOUBLE_RELEASE = 0;

    private static final long ALLOCATOR_LIMIT_BYTES = 1L << 20;
    private static final int FIRST_WORD = 0;
    private static final int LAST_WORD = RecycledPagePools.PAGE_SIZE - Integer.BYTES;

    private PagePoolTests() {
    }

    static int acquireOrDetected(final PagePool pool) {
        try {
            return pool.acquire();
        } catch (final IllegalStateException detected) {
            return POOL_DETECTED_DOUBLE_USE;
        }
    }

    static int releaseOrRejected(final PagePool pool, final int id) {
        try {
            pool.release(id);
            return RELEASED;
        } catch (final IllegalStateException rejected) {
            return REJECTED_AS_DOUBLE_RELEASE;
        }
    }

    /**
     * Acquires until the pool says {@link PagePool#NO_PAGE}, at most {@code maxPages + 1} times so a
     * corrupted free list cannot loop forever.
     *
     * @return pages acquired, or {@link #POOL_DETECTED_DOUBLE_USE} if a page came out twice
     */
    static int drainFreePages(final PagePool pool) {
        int acquired = 0;
        for (int attempt = 0; attempt <= pool.maxPages(); attempt++) {
            final int id = acquireOrDetected(pool);
            if (id == PagePool.NO_PAGE) {
                return acquired;
            }
            if (id == POOL_DETECTED_DOUBLE_USE) {
                return POOL_DETECTED_DOUBLE_USE;
            }
            acquired++;
        }
        return acquired;
    }

    /** Two threads acquire from a pool whose four pages are all free: they get the top two, never the same one. */
    @JCStressTest
    @Outcome(id = {"0, 1, 2", "1, 0, 2"}, expect = Expect.ACCEPTABLE,
        desc = "each thread got one of the top two free pages, distinct; two pages in use")
    @Outcome(id = {"0, 0, .*", "1, 1, .*"}, expect = Expect.FORBIDDEN, desc = "the same page was handed out twice")
    @Outcome(expect = Expect.FORBIDDEN, desc = "a page missing, out of range, detected twice, or a wrong in-use count")
    @State
    public static class ConcurrentAcquiresGetDistinctPages {
        private static final RecycledPagePools POOLS = new RecycledPagePools(4, 4);

        private final PagePool pool = POOLS.take(); // four free pages, page 0 on top

        @Actor
        public void acquirerOne(final III_Result result) {
            result.r1 = acquireOrDetected(pool);
        }

        @Actor
        public void acquirerTwo(final III_Result result) {
            result.r2 = acquireOrDetected(pool);
        }

        @Arbiter
        public void recordAndRecycle(final III_Result result) {
            result.r3 = pool.pagesInUse();
            POOLS.giveBack(pool);
        }
    }

    /** Two threads race for the one free page of a pool already at {@code maxPages}: exactly one wins. */
    @JCStressTest
    @Outcome(id = {"1, -1, 2", "-1, 1, 2"}, expect = Expect.ACCEPTABLE,
        desc = "one thread got the last page, the other NO_PAGE; both pages in use")
    @Outcome(id = "1, 1, .*", expect = Expect.FORBIDDEN, desc = "the last page was handed out twice")
    @Outcome(id = "-1, -1, .*", expect = Expect.FORBIDDEN, desc = "the free page was lost: nobody got it")
    @Outcome(expect = Expect.FORBIDDEN, desc = "a page beyond maxPages, a detected double hand-out or a wrong in-use count")
    @State
    public static class RaceForLastPageHasOneWinner {
        private static final RecycledPagePools POOLS = new RecycledPagePools(2, 2);

        private final PagePool pool = POOLS.take();

        public RaceForLastPageHasOneWinner() {
            pool.acquire(); // takes page 0; page 1 is the last one
        }

        @Actor
        public void acquirerOne(final III_Result result) {
            result.r1 = acquireOrDetected(pool);
        }

        @Actor
        public void acquirerTwo(final III_Result result) {
            result.r2 = acquireOrDetected(pool);
        }

        @Arbiter
        public void recordAndRecycle(final III_Result result) {
            result.r3 = pool.pagesInUse();
            POOLS.giveBack(pool);
        }
    }

    /**
     * One thread releases page 0 while another acquires from a pool with page 3 free. The acquirer
     * always gets a page; afterwards three pages are in use and exactly one is left on the free list.
     */
    @JCStressTest
    @Outcome(id = "3, 3, 1", expect = Expect.ACCEPTABLE,
        desc = "acquired the free page 3 before the release pushed page 0; page 0 left free")
    @Outcome(id = "0, 3, 1", expect = Expect.ACCEPTABLE,
        desc = "acquired page 0 right after its release pushed it; page 3 left free")
    @Outcome(id = "-1, .*", expect = Expect.FORBIDDEN, desc = "NO_PAGE although a page was free throughout")
    @Outcome(expect = Expect.FORBIDDEN, desc = "a held page handed out, a page lost or duplicated on the free list, or a wrong in-use count")
    @State
    public static class ReleaseRacingAcquireKeepsFreeListConsistent {
        private static final RecycledPagePools POOLS = new RecycledPagePools(4, 4);

        private final PagePool pool = POOLS.take();
        private final int held;

        public ReleaseRacingAcquireKeepsFreeListConsistent() {
            held = pool.acquire();
            pool.acquire();
            pool.acquire(); // pages 0, 1, 2 in use, page 3 on the free list
        }

        @Actor
        public void releaser() {
            pool.release(held);
        }

        @Actor
        public void acquirer(final III_Result result) {
            result.r1 = acquireOrDetected(pool);
        }

        @Arbiter
        public void recordAndRecycle(final III_Result result) {
            result.r2 = pool.pagesInUse();
            result.r3 = drainFreePages(pool);
            POOLS.giveBack(pool);
        }
    }

    /**
     * The previous owner writes plain values into its page and releases it; the next owner acquires
     * and reads them plainly. Guaranteed: the release's compare-and-set of the free-list head is a
     * volatile write, the acquire's read of that head is a volatile read that sees it, so the
     * previous owner's writes happen-before the next owner's reads. No extra publication is needed
     * when the page id travels through the pool itself.
     */
    @JCStressTest
    @Outcome(id = "1, 2", expect = Expect.ACCEPTABLE, desc = "got the released page and saw both writes of its previous owner")
    @Outcome(id = "-1, -1", expect = Expect.ACCEPTABLE, desc = "acquired before the release: the pool was full, NO_PAGE")
    @Outcome(id = {"0, 0", "0, 2", "1, 0"}, expect = Expect.FORBIDDEN,
        desc = "got the released page but missed a write its previous owner made before releasing")
    @Outcome(expect = Expect.FORBIDDEN, desc = "anything else, e.g. a detected double hand-out")
    @State
    public static class ReleasePublishesPageContentsToNextOwner {
        private static final RecycledPagePools POOLS = new RecycledPagePools(1, 1);

        private final PagePool pool = POOLS.take();
        private final int held = pool.acquire();

        @Actor
        public void previousOwner() {
            final MemorySegment page = pool.page(held);
            page.set(ValueLayout.JAVA_INT, FIRST_WORD, 1);
            page.set(ValueLayout.JAVA_INT, LAST_WORD, 2);
            pool.release(held);
        }

        @Actor
        public void nextOwner(final II_Result result) {
            final int id = acquireOrDetected(pool);
            if (id < 0) {
                result.r1 = id;
                result.r2 = id;
                return;
            }
            final MemorySegment page = pool.page(id);
            result.r1 = page.get(ValueLayout.JAVA_INT, FIRST_WORD);
            result.r2 = page.get(ValueLayout.JAVA_INT, LAST_WORD);
        }

        @Arbiter
        public void recycle() {
            POOLS.giveBack(pool);
        }
    }

    /**
     * The other direction of the hand-over: the previous owner reads its page and releases it; the
     * next owner acquires and writes. The read happens-before the release, which happens-before the
     * acquire and the write, so the previous owner never sees the next owner's write.
     */
    @JCStressTest
    @Outcome(id = "0, 0", expect = Expect.ACCEPTABLE, desc = "previous owner read the old contents; next owner got page 0 and wrote")
    @Outcome(id = "0, -1", expect = Expect.ACCEPTABLE, desc = "next owner tried before the release and got NO_PAGE")
    @Outcome(id = "1, .*", expect = Expect.FORBIDDEN, desc = "previous owner saw a write made by the next owner after acquiring")
    @Outcome(expect = Expect.FORBIDDEN, desc = "anything else, e.g. a detected double hand-out")
    @State
    public static class NextOwnersWritesStayInvisibleToPreviousOwner {
        private static final RecycledPagePools POOLS = new RecycledPagePools(1, 1);

        private final PagePool pool = POOLS.take();
        private final int held = pool.acquire();

        @Actor
        public void previousOwner(final II_Result result) {
            result.r1 = pool.page(held).get(ValueLayout.JAVA_INT, FIRST_WORD);
            pool.release(held);
        }

        @Actor
        public void nextOwner(final II_Result result) {
            final int id = acquireOrDetected(pool);
            result.r2 = id;
            if (id >= 0) {
                pool.page(id).set(ValueLayout.JAVA_INT, FIRST_WORD, 1);
            }
        }

        @Arbiter
        public void recycle() {
            POOLS.giveBack(pool);
        }
    }

    /**
     * Two threads make the first acquires of an empty pool (no slab yet, two pages per slab, room for
     * two slabs). Both succeed with distinct pages and exactly one slab is taken: whoever loses the
     * grow lock finds the winner's pages on the free list.
     */
    @JCStressTest
    @Outcome(id = {"0, 1, 2, 1", "1, 0, 2, 1"}, expect = Expect.ACCEPTABLE,
        desc = "distinct pages from the first slab; two pages created, one slab allocated")
    @Outcome(id = {"0, 0, .*", "1, 1, .*"}, expect = Expect.FORBIDDEN, desc = "the same page was handed out twice")
    @Outcome(id = ".*, 4, 2", expect = Expect.FORBIDDEN, desc = "both threads grew the pool: a second slab was taken needlessly")
    @Outcome(expect = Expect.FORBIDDEN, desc = "NO_PAGE, a detected double hand-out or a slab count that disagrees with the pages")
    @State
    public static class FirstAcquiresRaceToGrowOneSlab {
        private static final int PAGES_PER_SLAB = 2;

        private final NativeAllocator allocator = NativeAllocator.withLimit(ALLOCATOR_LIMIT_BYTES);
        private final PagePool pool = RecycledPagePools.newEmptyPool(allocator, PAGES_PER_SLAB, 2 * PAGES_PER_SLAB);

        @Actor
        public void acquirerOne(final IIII_Result result) {
            result.r1 = acquireOrDetected(pool);
        }

        @Actor
        public void acquirerTwo(final IIII_Result result) {
            result.r2 = acquireOrDetected(pool);
        }

        @Arbiter
        public void recordAndClose(final IIII_Result result) {
            result.r3 = pool.pagesCreated();
            result.r4 = (int) (allocator.bytesInUse(MemoryTag.TEST) / ((long) RecycledPagePools.PAGE_SIZE * PAGES_PER_SLAB));
            pool.close(); // a pool that must start without a slab cannot be recycled
        }
    }

    /**
     * The ABA pattern the version stamp on the free-list head guards against. On a three-page pool
     * (free list 0, 1, 2) one thread acquires a page while the other acquires two and releases the
     * first. If the single acquire reads head 0 with next 1 and then stalls, the other thread can pop
     * 0 and 1 and push 0 back, so the head is page 0 again but its next is now 2; without the stamp
     * the stalled compare-and-set would succeed and make page 1, which is in use, the new head.
     */
    @JCStressTest
    @Outcome(id = {"0, 1, 2, 1", "0, 2, 2, 1", "1, 2, 2, 1", "2, 1, 2, 1"}, expect = Expect.ACCEPTABLE,
        desc = "the single acquirer and the page the other thread kept differ; two in use, one free")
    @Outcome(id = {"0, 0, .*", "1, 1, .*", "2, 2, .*"}, expect = Expect.FORBIDDEN,
        desc = "a page in use was handed out again: the free list head went back to a stale next")
    @Outcome(id = ".*, -2", expect = Expect.FORBIDDEN, desc = "a page in use was left on the free list")
    @Outcome(expect = Expect.FORBIDDEN, desc = "NO_PAGE, a wrong in-use count or a page lost from the free list")
    @State
    public static class FreeListHeadReturningToSamePageStaysConsistent {
        private static final RecycledPagePools POOLS = new RecycledPagePools(3, 3);

        private final PagePool pool = POOLS.take(); // free list 0, 1, 2

        @Actor
        public void singleAcquirer(final IIII_Result result) {
            result.r1 = acquireOrDetected(pool);
        }

        @Actor
        public void acquireTwiceReleaseFirst(final IIII_Result result) {
            final int first = acquireOrDetected(pool);
            final int second = acquireOrDetected(pool);
            if (first >= 0) {
                pool.release(first);
            }
            result.r2 = second;
        }

        @Arbiter
        public void recordAndRecycle(final IIII_Result result) {
            result.r3 = pool.pagesInUse();
            result.r4 = drainFreePages(pool);
            POOLS.giveBack(pool);
        }
    }

    /** Two threads release the same page at once: the per-page state lets exactly one through. */
    @JCStressTest
    @Outcome(id = {"1, 0, 0, 1", "0, 1, 0, 1"}, expect = Expect.ACCEPTABLE,
        desc = "one release succeeded, the other was rejected as a double release; the page is free once")
    @Outcome(id = "1, 1, .*", expect = Expect.FORBIDDEN, desc = "both releases succeeded")
    @Outcome(id = ".*, -2", expect = Expect.FORBIDDEN, desc = "the page was pushed onto the free list twice")
    @Outcome(expect = Expect.FORBIDDEN, desc = "both rejected, a wrong in-use count or the page lost from the free list")
    @State
    public static class ConcurrentDoubleReleaseIsDetectedOnce {
        private static final RecycledPagePools POOLS = new RecycledPagePools(1, 1);

        private final PagePool pool = POOLS.take();
        private final int held = pool.acquire();

        @Actor
        public void releaserOne(final IIII_Result result) {
            result.r1 = releaseOrRejected(pool, held);
        }

        @Actor
        public void releaserTwo(final IIII_Result result) {
            result.r2 = releaseOrRejected(pool, held);
        }

        @Arbiter
        public void recordAndRecycle(final IIII_Result result) {
            result.r3 = pool.pagesInUse();
            result.r4 = drainFreePages(pool);
            POOLS.giveBack(pool);
        }
    }
}
