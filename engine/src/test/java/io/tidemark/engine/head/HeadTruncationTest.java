package io.tidemark.engine.head;

import static org.assertj.core.api.Assertions.assertThat;

import io.tidemark.memory.NativeAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HeadTruncationTest {
    private static final long SEED = Long.getLong("tidemark.test.seed", System.nanoTime());
    private static final long HOUR = 3_600_000;

    private final NativeAllocator allocator = NativeAllocator.withLimit(1L << 30);
    private HeadShard head;

    @AfterEach
    void close() {
        if (head != null) {
            head.close();
        }
        allocator.assertNoLeaks();
    }

    /**
     * Series written across several windows, in order and late; truncated at window ends and in the
     * middle of windows. After each truncation every sample at or after the boundary reads back, what
     * is read before it is only ever a sample that was written, older samples are refused, and the
     * arenas of the windows through the boundary are freed.
     */
    @Test
    void shouldKeepEverySampleFromTheBoundaryOnAndFreeTheWindowsBeforeIt() {
        System.out.println("HeadTruncationTest seed=" + SEED + " (replay with -Dtidemark.test.seed=" + SEED + ")");
        final SplittableRandom random = new SplittableRandom(SEED);
        head = new HeadShard(allocator, 256, 8, HOUR, 1024, 30 * 60_000L); // short chunks: many end near each boundary
        final int series = 40;
        final List<List<long[]>> written = new ArrayList<>();
        final List<java.util.Set<Long>> seen = new ArrayList<>();
        for (int s = 0; s < series; s++) {
            written.add(new ArrayList<>());
            seen.add(new java.util.HashSet<>());
        }
        final long[] time = new long[series];
        long boundary = Long.MIN_VALUE;
        final SeriesCursor cursor = new SeriesCursor();
        for (int round = 0; round < 12; round++) {
            for (int i = 0; i < 6_000; i++) {
                final int s = random.nextInt(series);
                final long t;
                if (random.nextInt(20) == 0 && time[s] > 0) {
                    t = time[s] - 1 - random.nextInt(20 * 60_000); // late, within the window of 30 minutes mostly
                } else {
                    t = time[s] + 1 + random.nextInt(60_000);
                }
                final long bits = Double.doubleToRawLongBits(random.nextInt(1000) / 10.0);
                final int result = head.append(s, t, bits);
                if (t < boundary) {
                    assertThat(result).isEqualTo(HeadShard.OUT_OF_BOUNDS);
                } else if (result == HeadShard.APPENDED && seen.get(s).add(t)) {
                    // a late sample at a timestamp the series already has is kept but hidden by the earlier
                    // one on reads (README, out-of-order window): only the first is expected back
                    written.get(s).add(new long[] {t, bits});
                }
                if (result == HeadShard.APPENDED && t > time[s]) {
                    time[s] = t;
                }
            }
            final long max = head.maxTime();
            // every other round at a window end, else in the middle of the window before the newest
            final long next = round % 2 == 0 ? Math.floorDiv(max, HOUR) * HOUR : Math.floorDiv(max, HOUR) * HOUR - HOUR / 3;
            if (next <= boundary) {
                continue;
            }
            boundary = next;
            final int arenasBefore = head.closed().arenas();
            head.truncate(boundary);
            assertThat(head.minValidTime()).isEqualTo(boundary);
            assertThat(head.closed().retiredArenas()).as("no reader holds them: freed at once").isZero();
            if (round % 2 == 0 && round > 0) {
                assertThat(head.closed().arenas()).as("the arenas of windows before %d are freed", boundary)
                    .isLessThan(arenasBefore);
            }
            long oldest = Long.MAX_VALUE;
            for (int s = 0; s < series; s++) {
                final List<long[]> samples = written.get(s);
                samples.sort((a, b) -> Long.compare(a[0], b[0]));
                final long from = boundary;
                final List<long[]> expected = samples.stream().filter(x -> x[0] >= from).toList();
                assertThat(cursor.reset(head, s, boundary, Long.MAX_VALUE)).as("series %d from %d", s, boundary)
                    .isEqualTo(expected.size());
                for (final long[] sample : expected) {
                    assertThat(cursor.next()).isTrue();
                    assertThat(cursor.timestamp()).isEqualTo(sample[0]);
                    assertThat(Double.doubleToRawLongBits(cursor.value())).isEqualTo(sample[1]);
                }
                final int all = cursor.reset(head, s, Long.MIN_VALUE, Long.MAX_VALUE);
                assertThat(all).isGreaterThanOrEqualTo(expected.size());
                int at = 0;
                while (cursor.next()) {
                    final long t = cursor.timestamp();
                    while (at < samples.size() && samples.get(at)[0] < t) {
                        at++;
                    }
                    assertThat(at).as("series %d: %d was written", s, t).isLessThan(samples.size());
                    assertThat(samples.get(at)[0]).isEqualTo(t);
                    oldest = Math.min(oldest, t);
                }
            }
            assertThat(head.minTime()).as("the oldest sample left").isEqualTo(oldest);
        }
        assertThat(head.chunksTruncated()).isGreaterThan(100);
        assertThat(head.outOfBounds()).isPositive();
    }

    /**
     * A reader racing appends and truncations: every read is sorted, made only of written samples,
     * and holds every sample from the newest boundary (read after it) up to the newest sample written
     * before it began.
     */
    @Test
    void shouldGiveRacingReadersEverySampleAfterTheBoundaryTheySaw() throws Exception {
        head = new HeadShard(allocator, 256, 120, 10 * 60_000L, 1024);
        final int series = 8;
        final long step = 15_000;
        final AtomicLong boundary = new AtomicLong(Long.MIN_VALUE);
        final AtomicLong newest = new AtomicLong(-1); // the newest k written to every series
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread reader = new Thread(() -> {
            final SeriesCursor cursor = new SeriesCursor();
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    final long seenNewest = newest.get();
                    for (int s = 0; s < series; s++) {
                        cursor.reset(head, s, Long.MIN_VALUE, Long.MAX_VALUE);
                        final long seenBoundary = boundary.get(); // after: a truncation during the read counts
                        long previous = Long.MIN_VALUE;
                        long inRange = 0;
                        while (cursor.next()) {
                            final long t = cursor.timestamp();
                            if (t <= previous || t % step != 0 || cursor.value() != value(s, t)) {
                                throw new AssertionError("series " + s + " read " + t + "=" + cursor.value() + " after " + previous);
                            }
                            previous = t;
                            if (t >= seenBoundary && t <= seenNewest * step) {
                                inRange++;
                            }
                        }
                        final long firstK = seenBoundary <= 0 ? 0 : (seenBoundary + step - 1) / step;
                        final long expected = Math.max(0, seenNewest - firstK + 1);
                        if (inRange != expected) {
                            throw new AssertionError("series " + s + ": " + inRange + " samples in [" + seenBoundary + ", "
                                + seenNewest * step + "], expected " + expected);
                        }
                    }
                }
            } catch (final Throwable t) {
                failure.set(t);
            }
        });
        reader.start();
        try {
            for (long k = 0; k < 40_000 && failure.get() == null; k++) {
                final long t = k * step;
                for (int s = 0; s < series; s++) {
                    assertThat(head.append(s, t, Double.doubleToRawLongBits(value(s, t)))).isEqualTo(HeadShard.APPENDED);
                }
                newest.set(k);
                if (k % 500 == 499) {
                    final long next = (t / (10 * 60_000L)) * 10 * 60_000L - (k % 1000 == 999 ? 0 : 7 * 60_000L);
                    if (next > boundary.get()) {
                        boundary.set(next); // first: a reader that finds the truncation must find the boundary
                        head.truncate(next);
                    }
                }
            }
        } finally {
            reader.interrupt();
            reader.join();
        }
        assertThat(failure.get()).isNull();
        assertThat(head.chunksTruncated()).isGreaterThan(1_000);
        assertThat(head.closed().arenas()).as("arenas of truncated windows are freed once readers move on")
            .isLessThanOrEqualTo(3 + head.closed().retiredArenas());
    }

    private static double value(final int series, final long t) {
        return series * 1_000_000.0 + t / 1000.0;
    }
}
