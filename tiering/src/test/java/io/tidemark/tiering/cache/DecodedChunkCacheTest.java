package io.tidemark.tiering.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tidemark.memory.MemoryTag;
import io.tidemark.memory.NativeAllocator;
import java.lang.management.ManagementFactory;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DecodedChunkCacheTest {
    private static final int PAGE = 1 << 16;
    private static final int FRAMES_PER_PAGE = PAGE / DecodedChunkCache.FRAME_BYTES;

    /** A chunk's samples, a pure function of its key, so any copy can be checked. */
    private static int fill(final int block, final long ref, final int count, final long[] timestamps, final double[] values) {
        for (int i = 0; i < count; i++) {
            timestamps[i] = ref * 1_000 + block * 7L + i * 15_000L;
            values[i] = i % 17 == 5 ? Double.longBitsToDouble(0x7FF0000000000002L) // stale-marker-like NaN bits
                : block * 1e6 + ref + i * 0.25;
        }
        return count;
    }

    private static void assertChunk(final int block, final long ref, final int count, final long[] timestamps,
                                    final double[] values) {
        final long[] expectedTimestamps = new long[count];
        final double[] expectedValues = new double[count];
        fill(block, ref, count, expectedTimestamps, expectedValues);
        for (int i = 0; i < count; i++) {
            if (timestamps[i] != expectedTimestamps[i]
                || Double.doubleToRawLongBits(values[i]) != Double.doubleToRawLongBits(expectedValues[i])) {
                throw new AssertionError("block " + block + " ref " + ref + " sample " + i + ": got " + timestamps[i] + "/"
                    + values[i] + " want " + expectedTimestamps[i] + "/" + expectedValues[i]);
            }
        }
    }

    @Test
    void shouldReturnWhatWasPutBitForBitAcrossChainedFrames() {
        final NativeAllocator allocator = NativeAllocator.withLimit(16 << 20);
        final long[] timestamps = new long[1000];
        final double[] values = new double[1000];
        try (DecodedChunkCache cache = new DecodedChunkCache(allocator, 1 << 20, 1)) {
            for (final int count : new int[] {0, 1, 63, 64, 65, 120, 128, 1000}) {
                fill(3, count, count, timestamps, values);
                assertThat(cache.put(3, count, timestamps, values, count)).isTrue();
            }
            for (final int count : new int[] {0, 1, 63, 64, 65, 120, 128, 1000}) {
                final long[] outTimestamps = new long[1000];
                final double[] outValues = new double[1000];
                assertThat(cache.get(3, count, outTimestamps, outValues)).isEqualTo(count);
                assertChunk(3, count, count, outTimestamps, outValues);
            }
            assertThat(cache.get(4, 1, timestamps, values)).as("another block").isEqualTo(-1);
            assertThat(cache.hits()).isEqualTo(8);
            assertThat(cache.misses()).isEqualTo(1);
            // 1 + 1 + 1 + 1 + 2 + 2 + 2 + 16 frames
            assertThat(cache.bytesInUse()).isEqualTo(26L * DecodedChunkCache.FRAME_BYTES);
            assertThat(allocator.bytesInUse(MemoryTag.CHUNK_CACHE)).isEqualTo(PAGE);
            assertThatThrownBy(() -> cache.get(3, 1000, new long[10], new double[10]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("samples=1000");
        }
        allocator.assertNoLeaks();
    }

    @Test
    void shouldEvictTheLeastRecentlyUsedChunkFirst() {
        final NativeAllocator allocator = NativeAllocator.withLimit(16 << 20);
        final long[] timestamps = new long[64];
        final double[] values = new double[64];
        try (DecodedChunkCache cache = new DecodedChunkCache(allocator, PAGE, 1)) {
            for (int ref = 0; ref < FRAMES_PER_PAGE; ref++) {
                cache.put(1, ref, timestamps, values, fill(1, ref, 64, timestamps, values));
            }
            assertThat(cache.get(1, 0, timestamps, values)).isEqualTo(64); // 0 becomes the most recent; 1 the oldest
            cache.put(1, 1000, timestamps, values, fill(1, 1000, 64, timestamps, values));
            assertThat(cache.evictions()).isEqualTo(1);
            assertThat(cache.get(1, 1, timestamps, values)).as("the least recently used went").isEqualTo(-1);
            assertThat(cache.get(1, 0, timestamps, values)).isEqualTo(64);
            assertThat(cache.get(1, 2, timestamps, values)).isEqualTo(64);
            assertChunk(1, 2, 64, timestamps, values);
            assertThat(cache.bytesInUse()).isEqualTo(cache.budgetBytes());
            assertThat(allocator.bytesInUse(MemoryTag.CHUNK_CACHE)).as("never past the budget").isEqualTo(PAGE);
            final long[] huge = new long[FRAMES_PER_PAGE * 64 + 1];
            assertThat(cache.put(1, 5000, huge, new double[huge.length], huge.length)).as("larger than the stripe").isFalse();
        }
        allocator.assertNoLeaks();
    }

    @Test
    void shouldDropABlocksChunksOnInvalidation() {
        final NativeAllocator allocator = NativeAllocator.withLimit(16 << 20);
        final long[] timestamps = new long[200];
        final double[] values = new double[200];
        try (DecodedChunkCache cache = new DecodedChunkCache(allocator, 4 * PAGE, 4)) {
            for (int ref = 0; ref < 40; ref++) {
                cache.put(ref % 2, ref, timestamps, values, fill(ref % 2, ref, 100, timestamps, values));
            }
            assertThat(cache.entries()).isEqualTo(40);
            assertThat(cache.invalidateBlock(1)).isEqualTo(20);
            assertThat(cache.entries()).isEqualTo(20);
            assertThat(cache.bytesInUse()).isEqualTo(20L * 2 * DecodedChunkCache.FRAME_BYTES);
            for (int ref = 0; ref < 40; ref++) {
                final int got = cache.get(ref % 2, ref, timestamps, values);
                if (ref % 2 == 1) {
                    assertThat(got).isEqualTo(-1);
                } else {
                    assertThat(got).isEqualTo(100);
                    assertChunk(0, ref, 100, timestamps, values);
                }
            }
            assertThat(cache.evictions()).as("invalidation is not eviction").isZero();
        }
        allocator.assertNoLeaks();
    }

    /**
     * Against a model: an access-ordered map of key to frames, evicting eldest entries until the new
     * one fits. Hits, misses, evictions, contents and frame bytes must agree after every operation,
     * which also exercises the hash table's deletion (backward shift) under long probe runs.
     */
    @Test
    void shouldBehaveAsAnLruModelUnderRandomOperations() {
        final long seed = 0x7D3A_11C5L;
        final SplittableRandom random = new SplittableRandom(seed);
        final NativeAllocator allocator = NativeAllocator.withLimit(16 << 20);
        final int frames = 2 * FRAMES_PER_PAGE;
        final long[] timestamps = new long[700];
        final double[] values = new double[700];
        final LinkedHashMap<Long, int[]> model = new LinkedHashMap<>(16, 0.75f, true); // key -> {count, frames}
        long hits = 0;
        long misses = 0;
        long evictions = 0;
        int framesUsed = 0;
        try (DecodedChunkCache cache = new DecodedChunkCache(allocator, 2L * PAGE, 1)) {
            for (int op = 0; op < 200_000; op++) {
                final int block = random.nextInt(3);
                final long ref = random.nextInt(300);
                final long key = (long) block << 32 | ref;
                final int count = (int) (ref * 7 % 400) + (block == 2 ? 300 : 0); // a key always has the same length
                if (random.nextInt(3) == 0) {
                    final int got = cache.get(block, ref, timestamps, values);
                    final int[] expected = model.get(key);
                    if (expected == null) {
                        misses++;
                        assertThat(got).as("seed %d op %d", seed, op).isEqualTo(-1);
                    } else {
                        hits++;
                        assertThat(got).as("seed %d op %d", seed, op).isEqualTo(expected[0]);
                        assertChunk(block, ref, got, timestamps, values);
                    }
                } else {
                    fill(block, ref, count, timestamps, values);
                    final boolean cached = cache.put(block, ref, timestamps, values, count);
                    assertThat(cached).isTrue();
                    if (model.get(key) == null) {
                        final int needed = Math.max(1, (count + 63) / 64);
                        final Iterator<Map.Entry<Long, int[]>> eldest = model.entrySet().iterator();
                        while (frames - framesUsed < needed) {
                            framesUsed -= eldest.next().getValue()[1];
                            eldest.remove();
                            evictions++;
                        }
                        model.put(key, new int[] {count, needed});
                        framesUsed += needed;
                    }
                }
                assertThat(cache.evictions()).as("seed %d op %d", seed, op).isEqualTo(evictions);
            }
            assertThat(cache.hits()).isEqualTo(hits);
            assertThat(cache.misses()).isEqualTo(misses);
            assertThat(cache.entries()).isEqualTo(model.size());
            assertThat(cache.bytesInUse()).isEqualTo((long) framesUsed * DecodedChunkCache.FRAME_BYTES);
            assertThat(hits).as("the budget holds a fraction of the keys, so hits are rarer than misses but frequent").isGreaterThan(1_000);
            assertThat(evictions).as("the budget holds a fraction of the keys, so eviction is exercised").isGreaterThan(10_000);
        }
        allocator.assertNoLeaks();
    }

    @Test
    void shouldGiveWayToTheAllocatorsLimitByEvicting() {
        final NativeAllocator allocator = NativeAllocator.withLimit(PAGE); // the budget asks for 4 pages
        final long[] timestamps = new long[64];
        final double[] values = new double[64];
        try (DecodedChunkCache cache = new DecodedChunkCache(allocator, 4L * PAGE, 1)) {
            for (int ref = 0; ref < 3 * FRAMES_PER_PAGE; ref++) {
                assertThat(cache.put(0, ref, timestamps, values, fill(0, ref, 64, timestamps, values))).isTrue();
            }
            assertThat(allocator.bytesInUse(MemoryTag.CHUNK_CACHE)).isEqualTo(PAGE);
            assertThat(cache.entries()).isEqualTo(FRAMES_PER_PAGE);
            assertThat(cache.evictions()).isEqualTo(2L * FRAMES_PER_PAGE);
        }
        allocator.assertNoLeaks();
    }

    @Test
    void shouldKeepEveryChunkWholeUnderConcurrentReadersAndWriters() throws InterruptedException {
        final NativeAllocator allocator = NativeAllocator.withLimit(64 << 20);
        try (DecodedChunkCache cache = new DecodedChunkCache(allocator, 8L * PAGE, 4)) {
            final int threads = 4;
            final CountDownLatch start = new CountDownLatch(1);
            final AtomicReference<Throwable> failure = new AtomicReference<>();
            final Thread[] workers = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                final long seed = 1000 + t;
                workers[t] = Thread.ofPlatform().start(() -> {
                    final SplittableRandom random = new SplittableRandom(seed);
                    final long[] timestamps = new long[300];
                    final double[] values = new double[300];
                    try {
                        start.await();
                        for (int op = 0; op < 100_000; op++) {
                            final int block = random.nextInt(4);
                            final long ref = random.nextInt(500);
                            final int count = (int) (ref % 300);
                            final int got = cache.get(block, ref, timestamps, values);
                            if (got < 0) {
                                cache.put(block, ref, timestamps, values, fill(block, ref, count, timestamps, values));
                            } else {
                                assertThat(got).isEqualTo(count);
                                assertChunk(block, ref, count, timestamps, values);
                            }
                        }
                    } catch (final Throwable e) {
                        failure.compareAndSet(null, e);
                    }
                });
            }
            start.countDown();
            for (final Thread worker : workers) {
                worker.join();
            }
            assertThat(failure.get()).isNull();
            assertThat(cache.hits()).isPositive();
            assertThat(cache.evictions()).isPositive();
            assertThat(cache.bytesInUse()).isLessThanOrEqualTo(cache.budgetBytes());
        }
        allocator.assertNoLeaks();
    }

    @Test
    void shouldAllocateNothingOnTheHeapPerGetOrPut() {
        final NativeAllocator allocator = NativeAllocator.withLimit(16 << 20);
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        final long[] timestamps = new long[120];
        final double[] values = new double[120];
        try (DecodedChunkCache cache = new DecodedChunkCache(allocator, 2L * PAGE, 2)) {
            long best = Long.MAX_VALUE;
            for (int round = 0; round < 20; round++) {
                final long before = threads.getThreadAllocatedBytes(Thread.currentThread().threadId());
                for (int i = 0; i < 10_000; i++) {
                    final long ref = i % 700; // more than fit: puts evict
                    if (cache.get(0, ref, timestamps, values) < 0) {
                        cache.put(0, ref, timestamps, values, 120);
                    }
                }
                best = Math.min(best, threads.getThreadAllocatedBytes(Thread.currentThread().threadId()) - before);
            }
            assertThat(cache.evictions()).isPositive();
            assertThat(best).as("heap bytes for 10,000 gets and puts").isZero();
        }
        allocator.assertNoLeaks();
    }

    @Test
    void shouldRefuseABudgetBelowAPagePerStripe() {
        final NativeAllocator allocator = NativeAllocator.withLimit(16 << 20);
        assertThatThrownBy(() -> new DecodedChunkCache(allocator, PAGE, 2)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("budget too small");
        assertThatThrownBy(() -> new DecodedChunkCache(allocator, 4L * PAGE, 3)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("power of two");
    }
}
