package io.tidemark.bench.index;

import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * Median time per call of an operation: calls it for a warm-up period, sizes a round to take about
 * {@value #ROUND_NANOS} ns (or the warm-up's length, if shorter), and returns the median over timed rounds. Results of the operation are
 * summed into a sink that is published, so the JIT cannot drop the calls.
 */
final class Timing {
    private static final long ROUND_NANOS = 50_000_000L;
    static volatile long sink;

    private Timing() {
    }

    /** Median nanoseconds per call of {@code operation} over {@code rounds} timed rounds, after {@code warmupNanos} of calls. */
    static double medianNanos(final LongSupplier operation, final int rounds, final long warmupNanos) {
        long consumed = 0;
        long calls = 0;
        final long warmupStart = System.nanoTime();
        long elapsed;
        do {
            consumed += operation.getAsLong();
            calls++;
            elapsed = System.nanoTime() - warmupStart;
        } while (elapsed < warmupNanos);
        final long perRound = Math.max(1, Math.min(ROUND_NANOS, warmupNanos) * calls / Math.max(1, elapsed));
        final double[] nanos = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            final long start = System.nanoTime();
            for (long i = 0; i < perRound; i++) {
                consumed += operation.getAsLong();
            }
            nanos[r] = (double) (System.nanoTime() - start) / perRound;
        }
        sink += consumed;
        return median(nanos);
    }

    /** The median of {@code values} (the mean of the middle two for an even count). */
    static double median(final double[] values) {
        final double[] sorted = values.clone();
        Arrays.sort(sorted);
        final int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
