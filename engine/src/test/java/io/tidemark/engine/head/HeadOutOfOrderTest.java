package io.tidemark.engine.head;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.memory.NativeAllocator;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The out-of-order window: which late samples are taken, and that reads merge them in time order. */
class HeadOutOfOrderTest {
    private static final long SEED = Long.getLong("tidemark.test.seed", System.nanoTime());
    private static final long HOUR = 3_600_000;
    private static final long WINDOW = 10 * 60_000;

    private final NativeAllocator allocator = NativeAllocator.withLimit(1L << 30);
    private final HeadShard head = new HeadShard(allocator, 256, 120, 2 * HOUR, 1024, WINDOW);

    @AfterEach
    void close() {
        head.close();
        allocator.assertNoLeaks();
    }

    @Test
    void shouldTakeLateSamplesWithinTheWindowOfTheShardsNewestSample() {
        append(0, 100 * 60_000, 1);
        append(1, 200 * 60_000, 2); // the shard's newest is now minute 200: the window starts at minute 190
        assertThat(head.append(0, 195 * 60_000, bits(3))).isEqualTo(HeadShard.APPENDED); // in order for series 0
        assertThat(head.append(0, 150 * 60_000, bits(4))).as("late, before the window").isEqualTo(HeadShard.OUT_OF_ORDER);
        assertThat(head.append(1, 190 * 60_000, bits(5))).as("late, at the window's start").isEqualTo(HeadShard.APPENDED);
        assertThat(head.append(1, 190 * 60_000, bits(5))).isEqualTo(HeadShard.IDENTICAL_DUPLICATE);
        assertThat(head.append(1, 190 * 60_000, bits(6))).isEqualTo(HeadShard.DUPLICATE_TIMESTAMP);
        assertThat(head.append(1, 200 * 60_000, bits(7))).as("the newest, in order").isEqualTo(HeadShard.DUPLICATE_TIMESTAMP);
        assertThat(head.outOfOrder()).isEqualTo(1);
        assertThat(head.outOfOrderAppended()).isEqualTo(1);
        assertThat(read(1, Long.MIN_VALUE, Long.MAX_VALUE)).containsExactly(Map.entry(190 * 60_000L, 5.0), Map.entry(200 * 60_000L, 2.0));
    }

    @Test
    void shouldReadEveryTakenSampleInTimeOrderAgainstAModel() {
        System.out.println("HeadOutOfOrderTest seed=" + SEED + " (replay with -Dtidemark.test.seed=" + SEED + ")");
        final SplittableRandom random = new SplittableRandom(SEED);
        final int series = 8;
        final TreeMap<Long, Double>[] model = newModels(series);
        final long[] newest = new long[series];
        java.util.Arrays.fill(newest, Long.MIN_VALUE);
        long shardNewest = Long.MIN_VALUE;
        long clock = 1_000_000;
        int taken = 0;
        for (int i = 0; i < 20_000; i++) {
            final int s = random.nextInt(series);
            clock += random.nextInt(2_000);
            // Mostly on time, a third late by up to twice the window; timestamps never repeat within a series.
            long t = random.nextInt(3) == 0 ? clock - random.nextLong(2 * WINDOW) : clock;
            while (model[s].containsKey(t)) {
                t++;
            }
            final double value = random.nextInt(1_000);
            final boolean late = newest[s] != Long.MIN_VALUE && t < newest[s];
            final boolean expected = t != newest[s] && (!late || t >= shardNewest - WINDOW);
            final int result = head.append(s, t, bits(value));
            assertThat(result).as("sample %d of series %d at %d", i, s, t).isEqualTo(expected ? HeadShard.APPENDED : HeadShard.OUT_OF_ORDER);
            if (expected) {
                model[s].put(t, value);
                taken++;
                if (!late) {
                    newest[s] = t;
                    shardNewest = Math.max(shardNewest, t);
                }
            }
        }
        assertThat(head.outOfOrderAppended()).as("late samples taken").isGreaterThan(2_000);
        assertThat(head.samplesAppended()).isEqualTo(taken);
        for (int s = 0; s < series; s++) {
            assertThat(read(s, Long.MIN_VALUE, Long.MAX_VALUE)).as("series %d", s).containsExactlyEntriesOf(model[s]);
            for (int q = 0; q < 20; q++) {
                final long from = model[s].firstKey() + random.nextLong(model[s].lastKey() - model[s].firstKey() + 1);
                final long to = from + random.nextLong(3 * WINDOW);
                assertThat(read(s, from, to)).as("series %d in [%d, %d]", s, from, to).containsExactlyEntriesOf(model[s].subMap(from, true, to, true));
            }
        }
    }

    @Test
    void shouldGiveReadersOrderedWholeSamplesWhileLateSamplesArriveAndSeal() throws InterruptedException {
        final AtomicBoolean done = new AtomicBoolean();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final java.util.concurrent.atomic.AtomicLong reads = new java.util.concurrent.atomic.AtomicLong();
        final Thread reader = Thread.ofPlatform().start(() -> {
            final SeriesCursor cursor = new SeriesCursor();
            try {
                while (!done.get()) {
                    reads.incrementAndGet();
                    for (int s = 0; s < 4; s++) {
                        final int n = cursor.reset(head, s, Long.MIN_VALUE, Long.MAX_VALUE);
                        long previous = Long.MIN_VALUE;
                        for (int i = 0; i < n; i++) {
                            cursor.next();
                            // Every sample's value is its timestamp plus the series: a torn pair shows.
                            if (cursor.timestamp() <= previous || cursor.value() != cursor.timestamp() + s) {
                                throw new AssertionError("series " + s + " sample " + i + " read as " + cursor.timestamp()
                                    + "=" + cursor.value() + " after " + previous);
                            }
                            previous = cursor.timestamp();
                        }
                    }
                }
            } catch (final Throwable e) {
                failure.set(e);
            }
        });
        for (int i = 1; i < 100_000; i++) {
            if (i == 50_000) {
                // on a loaded machine the reader may not have run yet: halfway, let it read a few times
                final long deadline = System.nanoTime() + 10_000_000_000L;
                while (reads.get() < 3 && failure.get() == null && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
            }
            for (int s = 0; s < 4; s++) {
                final long onTime = 2_000L * i;
                assertThat(head.append(s, onTime, bits(onTime + s))).isEqualTo(HeadShard.APPENDED);
                final long late = onTime - 999; // between the last two on-time samples
                assertThat(head.append(s, late, bits(late + s))).isEqualTo(HeadShard.APPENDED);
            }
        }
        done.set(true);
        reader.join();
        System.out.println("HeadOutOfOrderTest concurrent reader passes=" + reads.get() + " late=" + head.outOfOrderAppended());
        assertThat(failure.get()).isNull();
        assertThat(reads.get()).isGreaterThan(1);
        final SeriesCursor cursor = new SeriesCursor();
        assertThat(cursor.reset(head, 3, Long.MIN_VALUE, Long.MAX_VALUE)).isEqualTo(2 * 99_999);
    }

    private void append(final int slot, final long timestamp, final double value) {
        assertThat(head.append(slot, timestamp, bits(value))).isEqualTo(HeadShard.APPENDED);
    }

    private TreeMap<Long, Double> read(final int slot, final long from, final long to) {
        final SeriesCursor cursor = new SeriesCursor();
        final TreeMap<Long, Double> samples = new TreeMap<>();
        final int n = cursor.reset(head, slot, from, to);
        long previous = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            assertThat(cursor.next()).isTrue();
            assertThat(cursor.timestamp()).isGreaterThan(previous);
            previous = cursor.timestamp();
            samples.put(cursor.timestamp(), cursor.value());
        }
        assertThat(cursor.next()).isFalse();
        return samples;
    }

    @SuppressWarnings("unchecked")
    private static TreeMap<Long, Double>[] newModels(final int series) {
        final TreeMap<Long, Double>[] models = new TreeMap[series];
        for (int s = 0; s < series; s++) {
            models[s] = new TreeMap<>();
        }
        return models;
    }

    private static long bits(final double value) {
        return Double.doubleToRawLongBits(value);
    }
}
