package io.tidemark.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class PagePoolTest {

    @Test
    void shouldGrowBySlabsUpToMaxAndThenReportNoPage() {
        final NativeAllocator allocator = NativeAllocator.withLimit(1 << 20);
        try (PagePool pool = new PagePool(allocator, MemoryTag.HEAD_CHUNKS, 1024, 4, 8)) {
            final Set<Integer> ids = new HashSet<>();
            for (int i = 0; i < 8; i++) {
                final int id = pool.acquire();
                assertThat(id).isNotEqualTo(PagePool.NO_PAGE);
                ids.add(id);
                pool.page(id).set(ValueLayout.JAVA_INT, 0, id);
            }
            assertThat(ids).hasSize(8);
            assertThat(pool.acquire()).isEqualTo(PagePool.NO_PAGE);
            assertThat(allocator.bytesInUse(MemoryTag.HEAD_CHUNKS)).isEqualTo(8 * 1024);
            for (final int id : ids) {
                assertThat(pool.page(id).get(ValueLayout.JAVA_INT, 0)).isEqualTo(id);
                assertThat(pool.page(id).byteSize()).isEqualTo(1024);
                pool.release(id);
            }
            assertThat(pool.pagesInUse()).isZero();
        }
        allocator.assertNoLeaks();
    }

    @Test
    void shouldRecycleReleasedPagesWithoutGrowing() {
        final NativeAllocator allocator = NativeAllocator.withLimit(1 << 20);
        try (PagePool pool = new PagePool(allocator, MemoryTag.TEST, 4096, 2, 64)) {
            for (int i = 0; i < 1000; i++) {
                final int a = pool.acquire();
                final int b = pool.acquire();
                pool.release(a);
                pool.release(b);
            }
            assertThat(pool.pagesCreated()).isEqualTo(2);
            assertThat(allocator.totalBytesInUse()).isEqualTo(2 * 4096);
        }
        assertThat(allocator.totalBytesInUse()).isZero();
    }

    @Test
    void shouldRefuseDoubleReleaseAndUnknownIds() {
        try (PagePool pool = new PagePool(NativeAllocator.withLimit(1 << 20), MemoryTag.TEST, 64, 1, 1)) {
            final int id = pool.acquire();
            pool.release(id);
            assertThatThrownBy(() -> pool.release(id)).isInstanceOf(IllegalStateException.class).hasMessageContaining("twice");
            assertThatThrownBy(() -> pool.release(5)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void shouldGrowAheadOnlyBelowTheReserveAndNeverPastTheMaximum() {
        final NativeAllocator allocator = NativeAllocator.withLimit(1 << 20);
        try (PagePool pool = new PagePool(allocator, MemoryTag.TEST, 1024, 4, 12)) {
            assertThat(pool.growAhead(2)).isTrue();
            assertThat(pool.pagesCreated()).isEqualTo(4);
            assertThat(pool.growAhead(2)).as("4 free pages are enough for a reserve of 2").isFalse();
            final int a = pool.acquire();
            final int b = pool.acquire();
            final int c = pool.acquire();
            assertThat(pool.freePages()).isEqualTo(1);
            assertThat(pool.growAhead(2)).isTrue();
            assertThat(pool.freePages()).isEqualTo(5);
            assertThat(pool.pagesCreated()).isEqualTo(8);
            for (int i = 0; i < 4; i++) {
                pool.acquire();
            }
            assertThat(pool.growAhead(8)).isTrue();
            assertThat(pool.pagesCreated()).isEqualTo(12);
            assertThat(pool.growAhead(8)).as("at the maximum").isFalse();
            assertThat(pool.pagesCreated()).isEqualTo(12);
            pool.release(a);
            pool.release(b);
            pool.release(c);
            assertThat(pool.freePages()).isEqualTo(8);
            assertThatThrownBy(() -> pool.growAhead(0)).isInstanceOf(IllegalArgumentException.class);
        }
        allocator.assertNoLeaks();
    }

    @Test
    void shouldNotGrowAheadOnceClosed() {
        final NativeAllocator allocator = NativeAllocator.withLimit(1 << 20);
        final PagePool pool = new PagePool(allocator, MemoryTag.TEST, 1024, 4, 12);
        pool.close();
        assertThat(pool.growAhead(4)).isFalse();
        assertThat(allocator.totalBytesInUse()).isZero();
    }

    @Test
    void shouldSurfaceTheAllocatorLimitWhenGrowing() {
        try (PagePool pool = new PagePool(NativeAllocator.withLimit(8192), MemoryTag.TEST, 4096, 2, 8)) {
            pool.acquire();
            pool.acquire();
            assertThatThrownBy(pool::acquire).isInstanceOf(NativeMemoryLimitException.class);
        }
    }

    @Test
    void shouldNeverHandTheSamePageToTwoThreads() throws InterruptedException {
        final NativeAllocator allocator = NativeAllocator.withLimit(64 << 20);
        try (PagePool pool = new PagePool(allocator, MemoryTag.TEST, 64, 16, 1024)) {
            final Set<Integer> held = ConcurrentHashMap.newKeySet();
            final List<Throwable> failures = new ArrayList<>();
            final int threads = 4;
            final CountDownLatch start = new CountDownLatch(1);
            final List<Thread> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                        final int[] mine = new int[8];
                        for (int round = 0; round < 20_000; round++) {
                            for (int i = 0; i < mine.length; i++) {
                                mine[i] = pool.acquire();
                                if (!held.add(mine[i])) {
                                    throw new AssertionError("page held twice: " + mine[i]);
                                }
                            }
                            for (final int id : mine) {
                                held.remove(id);
                                pool.release(id);
                            }
                        }
                    } catch (final Throwable e) {
                        synchronized (failures) {
                            failures.add(e);
                        }
                    }
                }));
            }
            start.countDown();
            for (final Thread worker : workers) {
                worker.join();
            }
            assertThat(failures).isEmpty();
            assertThat(pool.pagesInUse()).isZero();
            assertThat(pool.pagesCreated()).isLessThanOrEqualTo(threads * 8 + 16);
        }
        allocator.assertNoLeaks();
    }
}
