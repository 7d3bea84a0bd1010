package io.tidemark.bench.index;

import io.tidemark.bench.BenchOptions;
import io.tidemark.index.SeriesIndex;
import io.tidemark.index.matchers.LabelMatcher;
import io.tidemark.memory.MemoryTag;
import io.tidemark.memory.NativeAllocator;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./tidemark bench index}: builds a {@link SeriesIndex} of {@code --series} node series
 * (default 1,000,000) and prints one {@code key=value} line per figure:
 * <ul>
 *   <li>{@code create_series_per_sec}: {@code getOrCreate} of every set in dataset order (target by
 *       target, as scrapes arrive), the median of {@code --create-rounds} builds after warm-up builds;</li>
 *   <li>{@code lookup_ns}: {@code find} of existing series from canonical bytes, every series once per
 *       round in a seeded random order, median of {@code --rounds} rounds; the input bytes are laid
 *       out in lookup order, so reading them is sequential as in a request buffer, and the cache
 *       misses measured are the index's; {@code lookup_alloc_bytes_per_op} from the thread's
 *       allocation counter over the timed rounds. {@code lookup_scrape_order_ns} is the same in
 *       dataset order, target by target, as the series of a scrape arrive, and
 *       {@code lookup_scrape_order_expected_ns} the same through {@code findExpected} with the previous
 *       id plus one; {@code lookup_batch32_ns} and {@code lookup_batch32_scrape_order_ns} the two
 *       orders 32 at a time through {@code findAll};</li>
 *   <li>memory of the last build: {@code native_bytes_per_series} (the allocator's
 *       {@link MemoryTag#INDEX} bytes in use), {@code heap_bytes_per_series} (used heap after full
 *       GCs, after the build minus before it), their sum {@code bytes_per_series}, and the index's own
 *       {@code heap_estimate_bytes_per_series};</li>
 *   <li>{@code select_*_us}: median microseconds of {@link SeriesIndex#select} for the selectors of
 *       {@link IndexSelectors}, with the selector and the result size; {@code label_values_us} for
 *       the values of {@code instance}; each after {@code --warmup-ms} of calls.</li>
 * </ul>
 * Times are wall time, or with {@code --clock cpu} the thread's CPU time (see {@link Timing}).
 * Progress goes to standard error.
 */
public final class IndexBench {
    private static final int WARMUP_SERIES = 200_000;
    private static final int WARMUP_LOOKUP_PASSES = 3;

    private IndexBench() {
    }

    /** Runs the benchmark with the given options (see {@code ./tidemark bench} usage). */
    public static void run(final BenchOptions options) {
        final int series = options.integer("series", 1_000_000);
        final long seed = options.integer("seed", 1);
        final int rounds = options.integer("rounds", 11);
        final int createRounds = options.integer("create-rounds", 3);
        final long warmupNanos = options.integer("warmup-ms", 1000) * 1_000_000L;
        final Timing timing = Timing.named(options.text("clock", "wall"));
        if (series <= 0 || rounds <= 0 || createRounds <= 0) {
            throw new IllegalArgumentException("--series, --rounds and --create-rounds must be positive: series=" + series
                + " rounds=" + rounds + " createRounds=" + createRounds);
        }
        final NativeAllocator allocator = NativeAllocator.withLimit(64L << 30);
        final long generating = System.nanoTime();
        final int[] order = NodeLabelSets.permutation(series, seed);
        try (NodeLabelSets sets = NodeLabelSets.generate(allocator, seed, series);
             NodeLabelSets lookups = sets.reordered(allocator, order)) {
            progress("generated %d label sets, %d bytes, in %.1f s; max heap %d MiB", series, sets.totalBytes(),
                (System.nanoTime() - generating) / 1e9, Runtime.getRuntime().maxMemory() >> 20);
            final int targets = NodeLabelSets.targetsFor(series);
            print("series", Integer.toString(series));
            print("targets", Integer.toString(targets));
            print("label_bytes_per_series", format(sets.totalBytes() / (double) series));
            print("clock", timing.name());
            try (SeriesIndex index = buildAndMeasure(timing, allocator, sets, createRounds)) {
                measureLookups(timing, "lookup", index, lookups, order, rounds);
                measureLookups(timing, "lookup_scrape_order", index, sets, identity(series), rounds);
                measureExpectedLookups(timing, index, sets, rounds);
                measureBatchLookups(timing, "lookup_batch32", index, lookups, rounds);
                measureBatchLookups(timing, "lookup_batch32_scrape_order", index, sets, rounds);
                measureSelection(timing, "select_2matcher", index, IndexSelectors.TWO_MATCHER, rounds, warmupNanos);
                measureSelection(timing, "select_regex", index, IndexSelectors.REGEX, rounds, warmupNanos);
                measureSelection(timing, "select_host", index, IndexSelectors.host(targets), rounds, warmupNanos);
                final int[] values = new int[1];
                final double labelValues = timing.medianNanos("label_values ns",
                    () -> values[0] = index.labelValues("instance", List.of()).size(), rounds, warmupNanos);
                print("label_values_name", "instance");
                print("label_values_result", Integer.toString(values[0]));
                print("label_values_us", String.format(Locale.ROOT, "%.2f", labelValues / 1e3));
            }
        }
        allocator.assertNoLeaks();
    }

    /** Warm-up builds, then timed builds; prints creation rate and the memory of the last build, which it returns. */
    private static SeriesIndex buildAndMeasure(final Timing timing, final NativeAllocator allocator, final NodeLabelSets sets,
                                               final int rounds) {
        final int series = sets.size();
        for (int w = 0; w < 2; w++) {
            build(allocator, sets, Math.min(series, WARMUP_SERIES)).close();
        }
        final double[] rates = new double[rounds];
        SeriesIndex index = null;
        long heapBefore = 0;
        for (int r = 0; r < rounds; r++) {
            if (index != null) {
                index.close();
                index = null;
            }
            heapBefore = usedHeapAfterGc();
            final long start = timing.now();
            index = build(allocator, sets, series);
            final long nanos = timing.now() - start;
            rates[r] = series / (nanos / 1e9);
            progress("build %d: %.2f s, %.0f series/s", r, nanos / 1e9, rates[r]);
        }
        try {
            final long heap = usedHeapAfterGc() - heapBefore;
            final long nativeBytes = allocator.bytesInUse(MemoryTag.INDEX);
            if (nativeBytes != index.nativeBytes()) {
                progress("allocator INDEX bytes %d differ from the index's nativeBytes() %d", nativeBytes, index.nativeBytes());
            }
            print("create_series_per_sec", String.format(Locale.ROOT, "%.0f", Timing.median("series/s", rates)));
            print("symbols", Integer.toString(index.symbols().size()));
            print("native_bytes_per_series", format(nativeBytes / (double) series));
            print("heap_bytes_per_series", format(heap / (double) series));
            print("heap_estimate_bytes_per_series", format(index.heapBytesEstimate() / (double) series));
            print("bytes_per_series", format((nativeBytes + heap) / (double) series));
            return index;
        } catch (final RuntimeException | Error failure) {
            index.close();
            throw failure;
        }
    }

    private static SeriesIndex build(final NativeAllocator allocator, final NodeLabelSets sets, final int count) {
        final SeriesIndex index = new SeriesIndex(allocator);
        try {
            final MemorySegment bytes = sets.bytes();
            for (int i = 0; i < count; i++) {
                final int id = index.getOrCreate(bytes, sets.offset(i), sets.length(i));
                if (id != i) {
                    throw new IllegalStateException("series got an unexpected id: series=" + i + " id=" + id);
                }
            }
            return index;
        } catch (final RuntimeException | Error failure) {
            index.close();
            throw failure;
        }
    }

    private static void measureLookups(final Timing timing, final String key, final SeriesIndex index,
                                       final NodeLabelSets lookups, final int[] expected, final int rounds) {
        long expectedSum = 0;
        for (int i = 0; i < expected.length; i++) {
            final int id = index.find(lookups.bytes(), lookups.offset(i), lookups.length(i));
            if (id != expected[i]) {
                throw new IllegalStateException("lookup found the wrong series: lookup=" + i + " expected=" + expected[i]
                    + " found=" + id);
            }
            expectedSum += id;
        }
        for (int w = 0; w < WARMUP_LOOKUP_PASSES; w++) {
            Timing.sink += lookupPass(index, lookups);
        }
        final double[] nanos = new double[rounds];
        final long allocatedBefore = allocatedBytes();
        for (int r = 0; r < rounds; r++) {
            final long start = timing.now();
            final long sum = lookupPass(index, lookups);
            nanos[r] = (double) (timing.now() - start) / lookups.size();
            if (sum != expectedSum) {
                throw new IllegalStateException("lookups found other series: sum=" + sum + " expected=" + expectedSum);
            }
        }
        final long allocated = allocatedBytes() - allocatedBefore;
        print(key + "_ns", format(Timing.median(key + " ns", nanos)));
        print(key + "_alloc_bytes_per_op", String.format(Locale.ROOT, "%.4f", allocated / ((double) rounds * lookups.size())));
    }

    /**
     * {@code lookup_scrape_order_expected_ns}: the scrape-order lookups again through
     * {@code findExpected}, each expecting the previous answer plus one, as a caller that remembers
     * only its last id would.
     */
    private static void measureExpectedLookups(final Timing timing, final SeriesIndex index, final NodeLabelSets sets,
                                               final int rounds) {
        final MemorySegment bytes = sets.bytes();
        final int count = sets.size();
        final double[] nanos = new double[rounds + WARMUP_LOOKUP_PASSES];
        final long allocatedBefore = allocatedBytes();
        for (int r = 0; r < nanos.length; r++) {
            final long start = timing.now();
            long sum = 0;
            int previous = -1;
            for (int i = 0; i < count; i++) {
                previous = index.findExpected(bytes, sets.offset(i), sets.length(i), previous + 1);
                sum += previous;
            }
            nanos[r] = (double) (timing.now() - start) / count;
            if (sum != (long) count * (count - 1) / 2) {
                throw new IllegalStateException("expected lookups found other series: sum=" + sum);
            }
        }
        final long allocated = allocatedBytes() - allocatedBefore;
        print("lookup_scrape_order_expected_ns", format(Timing.median("lookup_scrape_order_expected ns",
            java.util.Arrays.copyOfRange(nanos, WARMUP_LOOKUP_PASSES, nanos.length))));
        print("lookup_scrape_order_expected_alloc_bytes_per_op",
            String.format(Locale.ROOT, "%.4f", allocated / ((double) nanos.length * count)));
    }

    /** {@code <key>_ns}: the lookups again, 32 at a time through {@code findAll}. */
    private static void measureBatchLookups(final Timing timing, final String key, final SeriesIndex index,
                                            final NodeLabelSets lookups, final int rounds) {
        final int batch = 32;
        final int count = lookups.size() / batch * batch;
        final long[] offsets = new long[count];
        final int[] lengths = new int[count];
        for (int i = 0; i < count; i++) {
            offsets[i] = lookups.offset(i);
            lengths[i] = lookups.length(i);
        }
        final long[] batchOffsets = new long[batch];
        final int[] batchLengths = new int[batch];
        final int[] found = new int[batch];
        final int[] scratch = new int[2 * batch + 1];
        final double[] nanos = new double[rounds + WARMUP_LOOKUP_PASSES];
        long check = -1;
        for (int r = 0; r < nanos.length; r++) {
            final long start = timing.now();
            long sum = 0;
            for (int from = 0; from < count; from += batch) {
                System.arraycopy(offsets, from, batchOffsets, 0, batch);
                System.arraycopy(lengths, from, batchLengths, 0, batch);
                index.findAll(lookups.bytes(), batchOffsets, batchLengths, batch, found, scratch);
                for (int i = 0; i < batch; i++) {
                    sum += found[i];
                }
            }
            nanos[r] = (double) (timing.now() - start) / count;
            if (check >= 0 && sum != check) {
                throw new IllegalStateException("batch lookups found other series: sum=" + sum + " before=" + check);
            }
            check = sum;
        }
        print(key + "_ns", format(Timing.median(key + " ns",
            java.util.Arrays.copyOfRange(nanos, WARMUP_LOOKUP_PASSES, nanos.length))));
    }

    private static int[] identity(final int count) {
        final int[] ids = new int[count];
        for (int i = 0; i < count; i++) {
            ids[i] = i;
        }
        return ids;
    }

    /** Finds every set of {@code lookups} once; returns the sum of the ids. */
    private static long lookupPass(final SeriesIndex index, final NodeLabelSets lookups) {
        final MemorySegment bytes = lookups.bytes();
        final int count = lookups.size();
        long sum = 0;
        for (int i = 0; i < count; i++) {
            sum += index.find(bytes, lookups.offset(i), lookups.length(i));
        }
        return sum;
    }

    private static void measureSelection(final Timing timing, final String key, final SeriesIndex index,
                                         final List<LabelMatcher> matchers, final int rounds, final long warmupNanos) {
        final int result = index.select(matchers).length;
        final double nanos = timing.medianNanos(key + " ns", () -> index.select(matchers).length, rounds,
            warmupNanos);
        print(key + "_selector", IndexSelectors.format(matchers));
        print(key + "_result", Integer.toString(result));
        print(key + "_us", String.format(Locale.ROOT, "%.2f", nanos / 1e3));
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private static String format(final double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static void print(final String key, final String value) {
        System.out.println(key + "=" + value);
    }

    private static void progress(final String format, final Object... args) {
        System.err.printf(Locale.ROOT, "index: " + format + "%n", args);
    }
}
