package io.tidemark.engine.head;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.memory.NativeAllocator;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HeadShardTest {
    private static final long SEED = Long.getLong("tidemark.test.seed", System.nanoTime());
    private static final long HOUR = 3_600_000;

    private final NativeAllocator allocator = NativeAllocator.withLimit(1L << 30);
    private final HeadShard head = new HeadShard(allocator, 256, 120, 2 * HOUR, 1024);

    @AfterEach
    void close() {
        head.close();
        allocator.assertNoLeaks();
    }

    @Test
    void shouldReadBackEverySampleAcrossCutsInAnyRange() {
        System.out.println("HeadShardTest seed=" + SEED + " (replay with -Dtidemark.test.seed=" + SEED + ")");
        final SplittableRandom random = new SplittableRandom(SEED);
        final int series = 50;
        final List<List<long[]>> written = new ArrayList<>();
        for (int s = 0; s < series; s++) {
            written.add(new ArrayList<>());
        }
        final long[] time = new long[series];
        for (int i = 0; i < 100_000; i++) {
            final int s = random.nextInt(series);
            time[s] += 1 + random.nextInt(random.nextInt(10) == 0 ? 1_000_000 : 30_000);
            final long bits = switch (random.nextInt(4)) {
                case 0 -> Double.doubleToRawLongBits(random.nextInt(100));
                case 1 -> Double.doubleToRawLongBits(random.nextDouble());
                case 2 -> 0x7ff0000000000002L; // the stale marker
                default -> random.nextLong();
            };
            assertThat(head.append(s, time[s], bits)).isEqualTo(HeadShard.APPENDED);
            written.get(s).add(new long[] {time[s], bits});
        }
        assertThat(head.chunksCut()).isGreaterThan(100);
        final SeriesCursor cursor = new SeriesCursor();
        for (int s = 0; s < series; s++) {
            final List<long[]> samples = written.get(s);
            for (int q = 0; q < 20; q++) {
                final long from = q == 0 ? Long.MIN_VALUE : samples.get(random.nextInt(samples.size()))[0] - random.nextInt(2);
                final long to = q == 0 ? Long.MAX_VALUE : from + random.nextLong(10 * HOUR);
                final List<long[]> expected = samples.stream().filter(x -> x[0] >= from && x[0] <= to).toList();
                assertThat(cursor.reset(head, s, from, to)).isEqualTo(expected.size());
                for (final long[] sample : expected) {
                    assertThat(cursor.next()).isTrue();
                    assertThat(cursor.timestamp()).isEqualTo(sample[0]);
                    assertThat(Double.doubleToRawLongBits(cursor.value())).isEqualTo(sample[1]);
                }
                assertThat(cursor.next()).isFalse();
            }
        }
        assertThat(cursor.reset(head, 5_000, Long.MIN_VALUE, Long.MAX_VALUE)).isZero();
    }

    @Test
    void shouldRefuseOutOfOrderAndDuplicateSamplesAsPrometheusDoes() {
        assertThat(head.append(0, 1_000, 1)).isEqualTo(HeadShard.APPENDED);
        assertThat(head.append(0, 2_000, 2)).isEqualTo(HeadShard.APPENDED);
        assertThat(head.append(0, 1_500, 3)).isEqualTo(HeadShard.OUT_OF_ORDER);
        assertThat(head.append(0, 2_000, 2)).isEqualTo(HeadShard.IDENTICAL_DUPLICATE);
        assertThat(head.append(0, 2_000, 5)).isEqualTo(HeadShard.DUPLICATE_TIMESTAMP);
        assertThat(head.append(1, 500, 1)).isEqualTo(HeadShard.APPENDED); // another series has its own order
        assertThat(head.outOfOrder()).isEqualTo(1);
        assertThat(head.duplicates()).isEqualTo(1);
        assertThat(head.identicalDuplicates()).isEqualTo(1);
        assertThat(head.samplesAppended()).isEqualTo(3);
        final SeriesCursor cursor = new SeriesCursor();
        assertThat(cursor.reset(head, 0, 0, Long.MAX_VALUE)).isEqualTo(2);
    }

    @Test
    void shouldCutChunksAtWindowBoundariesAndAtTheSampleLimit() {
        for (int i = 0; i < 120; i++) {
            head.append(0, i * 1_000L, Double.doubleToRawLongBits(1.0));
        }
        assertThat(head.chunksCut()).isZero();
        head.append(0, 120_000, Double.doubleToRawLongBits(1.0));
        assertThat(head.chunksCut()).isEqualTo(1);
        head.append(1, 2 * HOUR - 1, 0);
        head.append(1, 2 * HOUR, 0);
        assertThat(head.chunksCut()).isEqualTo(2);
        final SeriesCursor cursor = new SeriesCursor();
        assertThat(cursor.reset(head, 1, 2 * HOUR, 2 * HOUR)).isEqualTo(1);
        assertThat(cursor.reset(head, 0, 0, Long.MAX_VALUE)).isEqualTo(121);
    }

    @Test
    void shouldAppendWithoutAllocating() {
        final com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocated = -1;
        long t = 0;
        for (int round = 0; round < 10 && allocated != 0; round++) {
            final long before = threads.getThreadAllocatedBytes(Thread.currentThread().threadId());
            for (int i = 0; i < 200_000; i++) {
                head.append(i & 1023, t + i / 1024 * 15_000L, Double.doubleToRawLongBits(i % 7));
            }
            t += 200_000 / 1024 * 15_000L + 15_000;
            allocated = threads.getThreadAllocatedBytes(Thread.currentThread().threadId()) - before;
            System.out.println("HeadShardTest round=" + round + " allocatedBytes=" + allocated);
        }
        assertThat(allocated).isZero();
    }

    @Test
    void shouldGiveReadersConsistentSeriesWhileTheShardAppendsAndCuts() throws InterruptedException {
        // Chunks of 3 samples: a cut every third append, so readers meet many of them.
        try (HeadShard cutting = new HeadShard(allocator, 256, 3, 2 * HOUR, 1024)) {
            readWhileAppending(cutting, HeadShardTest::counterValue);
            assertThat(cutting.chunksCut()).isGreaterThan(500_000);
        }
    }

    @Test
    void shouldGiveReadersConsistentSeriesWhileOpenChunksMoveIntoLargerRegions() throws InterruptedException {
        // Chunks of 60 samples that alternate between a constant (fits 64 bytes) and noise (needs 256):
        // every other chunk starts small and moves twice while the reader reads.
        try (HeadShard moving = new HeadShard(allocator, 256, 60, 2 * HOUR, 1024)) {
            readWhileAppending(moving, HeadShardTest::alternatingValue);
            assertThat(moving.regionMoves()).isGreaterThan(10_000);
        }
    }

    @Test
    void shouldReadBackChunksThatGrewThroughEveryRegionClass() {
        try (HeadShard growing = new HeadShard(allocator, 1024, 120, 2 * HOUR, 1024)) {
            for (int i = 0; i < 1_000; i++) {
                assertThat(growing.append(0, i * 1_000L, Double.doubleToRawLongBits(alternatingValue(0, i)))).isEqualTo(HeadShard.APPENDED);
            }
            final SeriesCursor cursor = new SeriesCursor();
            assertThat(cursor.reset(growing, 0, Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(1_000);
            for (int i = 0; i < 1_000; i++) {
                assertThat(cursor.next()).isTrue();
                assertThat(cursor.timestamp()).isEqualTo(i * 1_000L);
                assertThat(Double.doubleToRawLongBits(cursor.value())).isEqualTo(Double.doubleToRawLongBits(alternatingValue(0, i)));
            }
            assertThat(growing.regionMoves()).isGreaterThanOrEqualTo(3); // 64 -> 128 -> 256 -> 512 at least once
        }
    }

    /** Value of series {@code s} at sample {@code i}: a counter. */
    private static double counterValue(final int s, final int i) {
        return i + s;
    }

    /** Runs of 60 samples: a constant, then noise that fills 256 bytes of chunk within the run. */
    private static double alternatingValue(final int s, final int i) {
        if (i / 60 % 2 == 0) {
            return s;
        }
        long h = (i * 0x9E3779B97F4A7C15L) ^ s;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        return (h >>> 11) * 0x1.0p-53; // in [0, 1): never NaN, every mantissa bit noise
    }

    /** What a series holds at a sample. */
    @FunctionalInterface
    private interface Values {
        double at(int series, int sample);
    }

    private static void readWhileAppending(final HeadShard head, final Values expected) throws InterruptedException {
        final AtomicBoolean done = new AtomicBoolean();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final long[] reads = new long[1];
        final Thread reader = Thread.ofPlatform().start(() -> {
            final SeriesCursor cursor = new SeriesCursor();
            try {
                while (!done.get()) {
                    reads[0]++;
                    for (int s = 0; s < 8; s++) {
                        final int n = cursor.reset(head, s, Long.MIN_VALUE, Long.MAX_VALUE);
                        for (int i = 0; i < n; i++) {
                            cursor.next();
                            // Series s has sample i at time i * 1000: always a gap-free prefix.
                            if (cursor.timestamp() != i * 1_000L || cursor.value() != expected.at(s, i)) {
                                throw new AssertionError("series " + s + " sample " + i + " read as " + cursor.timestamp()
                                    + "=" + cursor.value());
                            }
                        }
                    }
                }
            } catch (final Throwable e) {
                failure.set(e);
            }
        });
        for (int i = 0; i < 200_000; i++) {
            for (int s = 0; s < 8; s++) {
                head.append(s, i * 1_000L, Double.doubleToRawLongBits(expected.at(s, i)));
            }
        }
        done.set(true);
        reader.join();
        System.out.println("HeadShardTest concurrent reader passes=" + reads[0] + " chunksCut=" + head.chunksCut()
            + " regionMoves=" + head.regionMoves());
        assertThat(failure.get()).isNull();
        assertThat(reads[0]).isGreaterThan(1);
    }
}
